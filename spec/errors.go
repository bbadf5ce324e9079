package spec

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem of a description, at a position of its file.
type Error struct {
	File string
	Line int // 1-based
	Col  int // 1-based
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// ErrorList is every problem found in one description, sorted by position.
type ErrorList []*Error

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Strict gives the warnings of a list as errors (--strict): the same
// positions and text, without the "warning: " mark.
func (l ErrorList) Strict() ErrorList {
	out := make(ErrorList, len(l))
	for i, e := range l {
		c := *e
		c.Msg = strings.TrimPrefix(c.Msg, "warning: ")
		out[i] = &c
	}
	return out
}

// Unwrap gives the single errors, for errors.As and errors.Is.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// errs collects positioned problems while a description is read.
type errs struct {
	file   string
	list   ErrorList
	seen   map[string]bool
	capped bool // more problems than were kept
}

func (c *errs) add(line, col int, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	msg := fmt.Sprintf(format, args...)
	key := fmt.Sprintf("%d:%d:%s", line, col, msg)
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	c.list = append(c.list, &Error{File: c.file, Line: line, Col: col, Msg: msg})
}

func (c *errs) err() error {
	if len(c.list) == 0 {
		return nil
	}
	sort.SliceStable(c.list, func(i, j int) bool {
		a, b := c.list[i], c.list[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	if c.capped {
		last := c.list[len(c.list)-1]
		c.list = append(c.list, &Error{File: c.file, Line: last.Line, Col: last.Col, Msg: "too many errors; stopping"})
		c.capped = false
	}
	return c.list
}
