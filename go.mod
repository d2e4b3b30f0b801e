module lmcpress

go 1.26.8

require (
	github.com/BurntSushi/toml v0.3.1 // indirect
	github.com/adrg/frontmatter v0.2.0 // indirect
	github.com/gorilla/feeds v1.2.0 // indirect
	github.com/yuin/goldmark v1.8.7 // indirect
	gopkg.in/yaml.v2 v2.3.0 // indirect
)
