package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// command is one subcommand: its own flags and help, in its own file.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

var commands = map[string]command{
	"build": {"build the site into public/ (or --out)", runBuild},
	"serve": {"build the site and serve it for preview on http://127.0.0.1:1313", runServe},
	"new":   {`start a page: lmcpress new news "Title"`, runNew},
	"check": {"check links, alt text, headings, review dates and patient data", runCheck},
}

// env is what a command may touch of the outside world. Commands read
// configuration, the environment and the time only through it, so tests
// run the real program in-process, on the day they choose.
type env struct {
	getenv func(string) string
	// now is the clock that decides what is published, upcoming or due for
	// review (--now overrides it); main passes time.Now. How long things
	// take is measured with time.Now directly: that decides no content.
	now    func() time.Time
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func run(ctx context.Context, args []string, getenv func(string) string, now func() time.Time, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, now: now, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return fmt.Errorf("no command given")
	}
	name, rest := args[0], args[1:]
	if name == "-h" || name == "--help" || name == "help" {
		if name != "help" || len(args) == 1 {
			usage(stdout)
			return nil
		}
		// lmcpress help build is lmcpress build -h.
		name, rest = args[1], []string{"-h"}
		if name == "help" {
			usage(stdout)
			return nil
		}
	}
	c, ok := commands[name]
	if !ok {
		return fmt.Errorf("unknown command %q: run 'lmcpress help' to see the commands", name)
	}
	err := c.run(ctx, e, rest)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "lmcpress: the publishing system of a Local Medical Committee")
	fmt.Fprintln(w, "\nUsage: lmcpress COMMAND [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'lmcpress help COMMAND' for what a command does and its flags.")
}

// flagSet is a command's flags and its help.
type flagSet struct {
	*flag.FlagSet
	help func() // prints the command's help on stdout
}

// flags makes a command's flags; about opens its help, saying what the
// command does. The flag package prints nothing itself:
// parse shows the help on stdout when it is asked for, and a mistake comes
// back as one error, which main prints once.
func flags(e *env, name, about, synopsis string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, help: func() {
		fmt.Fprintf(e.stdout, "%s\n\nUsage: lmcpress %s\n\nFlags:\n", about, synopsis)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}}
}

// parse parses flags, allowing them after positional arguments too.
func parse(fs *flagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.help()
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w (run 'lmcpress help %s' to see its flags)", fs.Name(), err, fs.Name())
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
		if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			continue
		}
	}
}
