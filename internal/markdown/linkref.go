package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkRefs is goldmark's paragraph transformer for link reference
// definitions ("[nhs]: https://www.nhs.uk/"), asked only about a paragraph
// that could start with one. goldmark's makes a block reader for every
// paragraph of every page and reads it from the start: that was 2.6% of
// converting a page (BenchmarkConvert), for the rare page that has a
// definition at all. goldmark's transformer skips white space across
// lines, gives up unless it finds "[", reads the label to its "]", and
// gives up unless the next byte it reads is ":". So a paragraph whose
// first other byte is not "[", or with no "]" that is followed by ":" or
// ends a line (the reader then goes on to the next), holds no definition,
// and leaving it out changes nothing (FuzzLinkRefs).
type linkRefs struct{}

func (linkRefs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	if mayHaveRef(node, reader.Source()) {
		parser.LinkReferenceParagraphTransformer.Transform(node, reader, pc)
	}
}

// mayHaveRef reports whether node's first byte that is not white space
// (as goldmark's util.IsSpace has it) is "[", and a line of it holds "]:"
// or ends with "]".
func mayHaveRef(node *ast.Paragraph, src []byte) bool {
	lines := node.Lines()
	start := false
	for i := 0; i < lines.Len() && !start; i++ {
		seg := lines.At(i)
		for _, c := range seg.Value(src) {
			if !util.IsSpace(c) {
				if c != '[' {
					return false
				}
				start = true
				break
			}
		}
	}
	if !start {
		return false
	}
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if v := seg.Value(src); bytes.Contains(v, []byte("]:")) || bytes.HasSuffix(v, []byte("]")) {
			return true
		}
	}
	return false
}

// newParser is goldmark's default parser with linkRefs in place of its
// link reference transformer.
func newParser(refs parser.ParagraphTransformer) parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(util.Prioritized(refs, 100)),
	)
}
