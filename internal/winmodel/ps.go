package winmodel

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A PowerShell interpreter for the subset the .ps1 template writes, run
// against the host model of host.go. It parses the script with a
// hand-written scanner and recursive-descent parser (PowerShell lexes
// context-sensitively: arguments of a command are read in argument mode,
// where IPv4 and 10.0.0.5 are strings and 24 a number, the rest in
// expression mode) and walks the syntax tree with PowerShell's semantics:
// Windows PowerShell 5.1 where the versions differ.
//
// What it does not support (syntax, commands, operators, methods) is an
// error, never skipped: a test then fails instead of passing a script
// that real PowerShell would run differently. The runtime errors that
// PowerShell would raise for a script bug (a variable read before it is
// set or a missing property under Set-StrictMode, indexing $null, a
// comparison whose operand does not convert) are such errors too: they
// show a bug, and the trap of the script must not hide them. Only throw
// and cmdlet errors are PowerShell errors that a trap or -ErrorAction
// handles.

// RunPS runs a .ps1 against h. exit is the script's exit code: its exit
// statement's, 0 when it runs off its end, 1 when a terminating error
// ends it (powershell.exe -File). err is for what the interpreter does not
// support or a malformed script.
func RunPS(h *Host, script []byte) (exit int, err error) {
	src := strings.TrimPrefix(string(script), "\ufeff")
	prog, err := ParsePS(src)
	if err != nil {
		return 0, err
	}
	in := &psiInterp{h: h, src: src}
	in.global = &psiScope{vars: map[string]any{"erroractionpreference": "Continue"}}
	in.scope = in.global
	err = in.execBlock(prog, in.print)
	switch e := err.(type) {
	case nil:
		return 0, nil
	case *psiExitSignal:
		return e.code, nil
	case *psiTerminating:
		// No trap took it: PowerShell reports it and powershell.exe
		// -File exits with 1.
		h.Out.WriteString(e.rec.msg + "\r\n")
		return 1, nil
	case *psiLoopSignal:
		// PowerShell would look for a loop in the callers and, finding
		// none, stop the script silently: always a bug here.
		return 0, fmt.Errorf("break or continue outside a loop")
	}
	return 0, err
}

// ---- syntax ---------------------------------------------------------------

type psiNode interface{ at() int }

// psiPos is where a node starts, a byte offset in the script.
type psiPos int

func (p psiPos) at() int { return int(p) }

type (
	// psiBlock is a statement list and its trap: a trap covers the whole
	// list it is in, before and after it.
	psiBlock struct {
		psiPos
		stmts []psiNode
		trap  *psiTrap
	}
	// psiPipeline is an expression or a command, then commands.
	psiPipeline struct {
		psiPos
		elems []psiNode
	}
	psiCommand struct {
		psiPos
		name  string
		elems []psiCmdElem
	}
	psiIf struct {
		psiPos
		conds  []psiNode // pipelines
		blocks []*psiBlock
		els    *psiBlock
	}
	psiFor struct {
		psiPos
		init, cond, step psiNode // nil when left out
		body             *psiBlock
	}
	psiForeach struct {
		psiPos
		name string
		coll psiNode
		body *psiBlock
	}
	psiWhile struct {
		psiPos
		cond psiNode
		body *psiBlock
	}
	psiBreak struct {
		psiPos
		cont bool // continue
	}
	psiExit struct {
		psiPos
		val psiNode // nil: exit 0
	}
	psiThrow struct {
		psiPos
		val psiNode
	}
	psiTrap struct {
		psiPos
		body *psiBlock
	}
	psiAssign struct {
		psiPos
		name string
		op   string // =, += or -=
		rhs  psiNode
	}

	psiVar struct {
		psiPos
		name string
	}
	psiStr struct {
		psiPos
		s string
	}
	// psiExpand is a double-quoted string or an argument with variables:
	// literal parts (*psiStr) and expansions.
	psiExpand struct {
		psiPos
		parts []psiNode
	}
	psiNum struct {
		psiPos
		v any // int or float64
	}
	psiArray struct { // a, b, c and the unary ,a
		psiPos
		elems []psiNode
	}
	psiSubexpr struct { // $( ) or, with array, @( )
		psiPos
		body  *psiBlock
		array bool
	}
	psiParen struct {
		psiPos
		pipe psiNode
	}
	psiScript struct { // { ... }: a script block as a value
		psiPos
		body *psiBlock
		text string
	}
	psiUnary struct {
		psiPos
		op string // -not, -neg
		x  psiNode
	}
	psiBinary struct {
		psiPos
		op   string // lower case: -and, -eq, -ceq, +, ...
		l, r psiNode
	}
	// psiMember is x.name, [type]::name, or with call a method call.
	psiMember struct {
		psiPos
		x      psiNode
		name   string
		static bool
		call   bool
		args   []psiNode
	}
	psiIndex struct {
		psiPos
		x, i psiNode
	}
	psiIncr struct { // $v++, $v--
		psiPos
		v     *psiVar
		delta int
	}
	psiType struct {
		psiPos
		name string
	}
	psiCast struct {
		psiPos
		typ string
		x   psiNode
	}
)

// psiCmdElem is a parameter (-Name, -Name:value) or an argument of a
// command. Which argument is a parameter's value is the binder's choice,
// as in PowerShell: the parser only reads the elements.
type psiCmdElem struct {
	param string // without - and :; "" for an argument
	raw   string // the parameter as written, what a native command gets
	colon bool   // -Name:value; the value is arg
	arg   psiNode
}

// psiKeywords are PowerShell's statement keywords; those without a case in
// statement are not supported.
var psiKeywords = map[string]bool{
	"begin": true, "break": true, "catch": true, "class": true, "continue": true,
	"data": true, "define": true, "do": true, "dynamicparam": true, "else": true,
	"elseif": true, "end": true, "enum": true, "exit": true, "filter": true,
	"finally": true, "for": true, "foreach": true, "from": true, "function": true,
	"hidden": true, "if": true, "in": true, "param": true, "process": true,
	"return": true, "static": true, "switch": true, "throw": true, "trap": true,
	"try": true, "until": true, "using": true, "var": true, "while": true,
	"workflow": true, "parallel": true, "sequence": true, "inlinescript": true,
	"configuration": true,
}

// psiCmpOp is a comparison operator: its base name and case sensitivity.
type psiCmpOp struct {
	base string
	cs   bool
}

// psiCompareOps are the supported comparison operators, each also with
// the i (case-insensitive, the default) and c (case-sensitive) prefixes.
var psiCompareOps = func() map[string]psiCmpOp {
	m := map[string]psiCmpOp{}
	for _, b := range []string{"eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "contains", "notcontains", "in", "notin"} {
		m["-"+b] = psiCmpOp{b, false}
		m["-i"+b] = psiCmpOp{b, false}
		m["-c"+b] = psiCmpOp{b, true}
	}
	return m
}()

type psiSyntaxError struct {
	line, col int
	msg       string
}

func (e *psiSyntaxError) Error() string {
	return fmt.Sprintf("ps1 line %d col %d: %s", e.line, e.col, e.msg)
}

// ParsePS parses a script.
func ParsePS(src string) (b *psiBlock, err error) {
	p := &psiParser{src: src}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*psiSyntaxError)
			if !ok {
				panic(r)
			}
			b, err = nil, se
		}
	}()
	return p.block(0), nil
}

type psiParser struct {
	src string
	i   int
	// noComma is set in a method's argument list, where a comma
	// separates the arguments instead of making an array.
	noComma bool
}

func (p *psiParser) fail(format string, args ...any) {
	line := 1 + strings.Count(p.src[:p.i], "\n")
	col := p.i - strings.LastIndexByte(p.src[:p.i], '\n')
	panic(&psiSyntaxError{line, col, fmt.Sprintf(format, args...)})
}

// enclosed parses what inner reads between the bracket at p.i and
// closing; inside, commas make arrays again.
func (p *psiParser) enclosed(closing byte, inner func() psiNode) psiNode {
	p.i++
	saved := p.noComma
	p.noComma = false
	p.skipSpaceNL()
	n := inner()
	p.skipSpaceNL()
	p.expect(closing)
	p.noComma = saved
	return n
}

func (p *psiParser) ahead(k int) byte {
	if j := p.i + k; j >= 0 && j < len(p.src) {
		return p.src[j]
	}
	return 0
}

func (p *psiParser) peek() byte { return p.ahead(0) }

// found describes what is at the current position, for messages.
func (p *psiParser) found() string {
	if p.i >= len(p.src) {
		return "the end of the script"
	}
	s := p.src[p.i:]
	if k := strings.IndexAny(s, "\r\n"); k >= 0 {
		s = s[:k]
	}
	if len(s) > 30 {
		s = s[:30]
	}
	return strconv.Quote(s)
}

func (p *psiParser) expect(c byte) {
	if p.peek() != c {
		p.fail("want %q, found %s", c, p.found())
	}
	p.i++
}

func psiLetter(c byte) bool   { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func psiDigit(c byte) bool    { return c >= '0' && c <= '9' }
func psiNameChar(c byte) bool { return psiLetter(c) || psiDigit(c) || c == '_' }
func psiBlank(c byte) bool    { return c == ' ' || c == '\t' || c == '\f' || c == '\v' }
func psiNewline(c byte) bool  { return c == '\r' || c == '\n' }

// psiStmtEnd: a statement ends before c.
func psiStmtEnd(c byte) bool { return c == 0 || psiNewline(c) || c == ';' || c == ')' || c == '}' }

// psiArgEnd: an argument of a command ends before c.
func psiArgEnd(c byte) bool { return psiStmtEnd(c) || psiBlank(c) || c == '|' || c == ',' }

// skipSpace skips blanks, comments and line continuations (a backtick at
// the end of a line), not line ends.
func (p *psiParser) skipSpace() {
	for p.i < len(p.src) {
		switch c := p.src[p.i]; {
		case psiBlank(c):
			p.i++
		case c == '`' && psiNewline(p.ahead(1)):
			p.i++
			if p.peek() == '\r' {
				p.i++
			}
			if p.peek() == '\n' {
				p.i++
			}
		case c == '#':
			for p.i < len(p.src) && !psiNewline(p.src[p.i]) {
				p.i++
			}
		case c == '<' && p.ahead(1) == '#':
			end := strings.Index(p.src[p.i+2:], "#>")
			if end < 0 {
				p.fail("unterminated <# comment")
			}
			p.i += end + 4
		default:
			return
		}
	}
}

// skipSpaceNL skips line ends too.
func (p *psiParser) skipSpaceNL() {
	for {
		p.skipSpace()
		if !psiNewline(p.peek()) {
			return
		}
		p.i++
	}
}

// keyword gives the word of letters at the current position, lower case,
// when it stands alone (a keyword can only be such a word; ForEach-Object
// is not foreach).
func (p *psiParser) keyword() string {
	j := p.i
	for j < len(p.src) && psiLetter(p.src[j]) {
		j++
	}
	if j == p.i {
		return ""
	}
	if j < len(p.src) {
		if c := p.src[j]; !psiArgEnd(c) && strings.IndexByte("({$'\"#", c) < 0 {
			return ""
		}
	}
	return strings.ToLower(p.src[p.i:j])
}

// block reads statements up to end (0: the end of the script), which it
// leaves for the caller.
func (p *psiParser) block(end byte) *psiBlock {
	saved := p.noComma
	p.noComma = false
	b := &psiBlock{psiPos: psiPos(p.i)}
	for {
		p.skipSpaceNL()
		if p.peek() == ';' {
			p.i++
			continue
		}
		if p.i >= len(p.src) {
			if end != 0 {
				p.fail("missing %q", end)
			}
			break
		}
		if c := p.peek(); c == end {
			break
		} else if c == ')' || c == '}' {
			p.fail("unexpected %q", c)
		}
		s := p.statement()
		if t, ok := s.(*psiTrap); ok {
			if b.trap != nil {
				p.fail("more than one trap in a statement list is not supported")
			}
			b.trap = t
		}
		b.stmts = append(b.stmts, s)
		p.skipSpace()
		if !psiStmtEnd(p.peek()) {
			p.fail("unexpected %s after a statement", p.found())
		}
	}
	p.noComma = saved
	return b
}

func (p *psiParser) statement() psiNode {
	start := psiPos(p.i)
	kw := p.keyword()
	switch kw {
	case "if":
		return p.ifStmt()
	case "for":
		s := &psiFor{psiPos: start}
		p.i += len(kw)
		p.skipSpaceNL()
		p.expect('(')
		part := func(end byte) psiNode {
			p.skipSpaceNL()
			var n psiNode
			if p.peek() != end {
				n = p.pipeline()
				p.skipSpaceNL()
			}
			p.expect(end)
			return n
		}
		s.init, s.cond, s.step = part(';'), part(';'), part(')')
		s.body = p.stmtBlock()
		return s
	case "foreach":
		s := &psiForeach{psiPos: start}
		p.i += len(kw)
		p.skipSpaceNL()
		p.expect('(')
		p.skipSpaceNL()
		if p.peek() != '$' {
			p.fail("want the loop variable, found %s", p.found())
		}
		s.name = p.variable().name
		p.skipSpaceNL()
		if p.keyword() != "in" {
			p.fail("want in, found %s", p.found())
		}
		p.i += 2
		p.skipSpaceNL()
		s.coll = p.pipeline()
		p.skipSpaceNL()
		p.expect(')')
		s.body = p.stmtBlock()
		return s
	case "while":
		p.i += len(kw)
		cond := p.condition()
		return &psiWhile{start, cond, p.stmtBlock()}
	case "break", "continue":
		p.i += len(kw)
		p.skipSpace()
		if !psiStmtEnd(p.peek()) {
			p.fail("%s with a label is not supported", kw)
		}
		return &psiBreak{start, kw == "continue"}
	case "exit", "throw":
		p.i += len(kw)
		p.skipSpace()
		var v psiNode
		if !psiStmtEnd(p.peek()) {
			v = p.pipeline()
		}
		if kw == "exit" {
			return &psiExit{start, v}
		}
		return &psiThrow{start, v}
	case "trap":
		p.i += len(kw)
		p.skipSpaceNL()
		if p.peek() == '[' {
			p.fail("a trap for a type is not supported")
		}
		return &psiTrap{start, p.stmtBlock()}
	}
	if psiKeywords[kw] {
		p.fail("the %s statement is not supported", kw)
	}
	return p.pipeline()
}

func (p *psiParser) ifStmt() psiNode {
	s := &psiIf{psiPos: psiPos(p.i)}
	p.i += 2
	for {
		s.conds = append(s.conds, p.condition())
		s.blocks = append(s.blocks, p.stmtBlock())
		save := p.i
		p.skipSpaceNL()
		switch p.keyword() {
		case "elseif":
			p.i += 6
			continue
		case "else":
			p.i += 4
			s.els = p.stmtBlock()
			return s
		}
		p.i = save
		return s
	}
}

// condition reads ( pipeline ).
func (p *psiParser) condition() psiNode {
	p.skipSpaceNL()
	p.expect('(')
	p.skipSpaceNL()
	c := p.pipeline()
	p.skipSpaceNL()
	p.expect(')')
	return c
}

// stmtBlock reads { statements }.
func (p *psiParser) stmtBlock() *psiBlock {
	p.skipSpaceNL()
	p.expect('{')
	b := p.block('}')
	p.i++
	return b
}

// pipeline reads an assignment or a pipeline.
func (p *psiParser) pipeline() psiNode {
	start := psiPos(p.i)
	if kw := p.keyword(); psiKeywords[kw] {
		p.fail("the %s statement is not supported here", kw)
	}
	var first psiNode
	if p.commandStart() {
		first = p.command()
	} else {
		e := p.expression()
		save := p.i
		p.skipSpace()
		if op := p.assignOp(); op != "" {
			v, ok := e.(*psiVar)
			if !ok {
				p.fail("only assignment to a variable is supported")
			}
			p.i += len(op)
			p.skipSpaceNL()
			return &psiAssign{start, v.name, op, p.pipeline()}
		}
		p.i = save
		first = e
	}
	pl := &psiPipeline{start, []psiNode{first}}
	for {
		save := p.i
		p.skipSpace()
		if p.peek() != '|' {
			p.i = save
			return pl
		}
		if p.ahead(1) == '|' {
			p.fail("|| is not supported")
		}
		p.i++
		p.skipSpaceNL()
		if !p.commandStart() {
			p.fail("expressions are only allowed as the first element of a pipeline")
		}
		pl.elems = append(pl.elems, p.command())
	}
}

func (p *psiParser) assignOp() string {
	c, d := p.peek(), p.ahead(1)
	switch {
	case c == '=' && d == '=':
		p.fail("== is not a PowerShell operator (-eq is)")
	case c == '=':
		return "="
	case (c == '+' || c == '-') && d == '=':
		return string(c) + "="
	case strings.IndexByte("*/%", c) >= 0 && c != 0 && d == '=':
		p.fail("the operator %c= is not supported", c)
	}
	return ""
}

// commandStart: a command starts here (a statement starting with a
// letter is a command in PowerShell).
func (p *psiParser) commandStart() bool {
	c := p.peek()
	if psiLetter(c) || c == '_' {
		return true
	}
	if c == '&' || c == '.' && !psiDigit(p.ahead(1)) {
		p.fail("the %q invocation operator is not supported", c)
	}
	return false
}

// command reads a command in argument mode.
func (p *psiParser) command() *psiCommand {
	c := &psiCommand{psiPos: psiPos(p.i)}
	j := p.i
	for j < len(p.src) && (psiNameChar(p.src[j]) || strings.IndexByte("-.\\:", p.src[j]) >= 0) {
		j++
	}
	c.name, p.i = p.src[p.i:j], j
	if !psiArgEnd(p.peek()) {
		p.fail("unsupported command name %s", p.found())
	}
	for {
		p.skipSpace()
		ch := p.peek()
		switch {
		case psiStmtEnd(ch) || ch == '|':
			return c
		case ch == '>' || ch == '<' || (ch == '*' || psiDigit(ch)) && p.ahead(1) == '>':
			p.fail("redirection is not supported")
		case ch == '&':
			p.fail("& is not supported in a command")
		case ch == '-' && (psiLetter(p.ahead(1)) || p.ahead(1) == '_'):
			c.elems = append(c.elems, p.parameter())
		default:
			c.elems = append(c.elems, psiCmdElem{arg: p.argList()})
		}
	}
}

// parameter reads -Name or -Name:value.
func (p *psiParser) parameter() psiCmdElem {
	start := p.i
	p.i++
	for psiNameChar(p.peek()) {
		p.i++
	}
	e := psiCmdElem{param: p.src[start+1 : p.i]}
	if p.peek() == ':' {
		p.i++
		e.colon, e.raw = true, p.src[start:p.i]
		p.skipSpace()
		if psiArgEnd(p.peek()) {
			p.fail("-%s: without a value", e.param)
		}
		e.arg = p.argList()
		return e
	}
	e.raw = p.src[start:p.i]
	if !psiArgEnd(p.peek()) {
		p.fail("unsupported parameter %s", p.found())
	}
	return e
}

// argList reads an argument, or several separated by commas: one array.
func (p *psiParser) argList() psiNode {
	return p.commaList(p.argument(), p.argument)
}

// commaList reads ", next" after first for as long as a comma follows:
// first alone, or one array of them all.
func (p *psiParser) commaList(first psiNode, next func() psiNode) psiNode {
	save := p.i
	p.skipSpace()
	if p.peek() != ',' {
		p.i = save
		return first
	}
	arr := &psiArray{psiPos(first.at()), []psiNode{first}}
	for p.peek() == ',' {
		p.i++
		p.skipSpaceNL()
		arr.elems = append(arr.elems, next())
		save = p.i
		p.skipSpace()
	}
	p.i = save
	return arr
}

// argument reads one argument in argument mode: a variable (with member
// access and indexing), a string, ( ), @( ), $( ), a script block, or a
// bareword, which is a number when it reads as one and a string
// otherwise (IPv4, 10.0.0.5, interface="$i").
func (p *psiParser) argument() psiNode {
	var n psiNode
	switch c := p.peek(); {
	case c == '$' || c == '(' || c == '@':
		n = p.postfix(p.primary())
	case c == '\'' || c == '"':
		n = p.primary()
	case c == '{':
		n = p.scriptBlock()
	default:
		return p.bareword()
	}
	if !psiArgEnd(p.peek()) {
		p.fail("unsupported argument: text right after a value, at %s", p.found())
	}
	return n
}

// psiParts collects the parts of an argument or of a double-quoted
// string: literal text and variables.
type psiParts struct {
	parts []psiNode
	lit   strings.Builder
}

// flush ends the literal text read so far.
func (s *psiParts) flush(p *psiParser) {
	if s.lit.Len() > 0 {
		s.parts = append(s.parts, &psiStr{psiPos(p.i), s.lit.String()})
		s.lit.Reset()
	}
}

// varOrChar reads a variable at p.i, or one character of literal text.
func (s *psiParts) varOrChar(p *psiParser) {
	if c := p.ahead(1); p.src[p.i] == '$' && (psiNameChar(c) || strings.IndexByte("{(?$^", c) >= 0 && c != 0) {
		s.flush(p)
		s.parts = append(s.parts, p.stringVar())
		return
	}
	s.lit.WriteByte(p.src[p.i])
	p.i++
}

func (p *psiParser) bareword() psiNode {
	start := p.i
	var ps psiParts
	quoted := false
loop:
	for p.i < len(p.src) {
		c := p.src[p.i]
		switch {
		case psiArgEnd(c):
			break loop
		case strings.IndexByte("(){}&<>", c) >= 0:
			p.fail("unsupported %q in an argument", c)
		case c == '\'':
			quoted = true
			ps.lit.WriteString(p.singleQuoted())
		case c == '"':
			quoted = true
			ps.flush(p)
			ps.parts = append(ps.parts, p.doubleQuoted()...)
		case c == '`':
			if psiNewline(p.ahead(1)) {
				break loop
			}
			ps.lit.WriteString(psiEscape(p.ahead(1)))
			p.i += 2
		default:
			ps.varOrChar(p)
		}
	}
	if p.i == start {
		p.fail("want an argument, found %s", p.found())
	}
	ps.flush(p)
	switch {
	case len(ps.parts) == 0:
		return &psiStr{psiPos(start), ""}
	case len(ps.parts) == 1:
		if s, ok := ps.parts[0].(*psiStr); ok {
			if v, ok := psiNumber(s.s); ok && !quoted {
				return &psiNum{psiPos(start), v}
			}
			return &psiStr{psiPos(start), s.s}
		}
	}
	return &psiExpand{psiPos(start), ps.parts}
}

// singleQuoted reads a single-quoted string, where two single quotes
// are one.
func (p *psiParser) singleQuoted() string {
	p.i++
	var b strings.Builder
	for {
		if p.i >= len(p.src) {
			p.fail("unterminated string")
		}
		c := p.src[p.i]
		if c == '\'' {
			if p.ahead(1) == '\'' {
				b.WriteByte('\'')
				p.i += 2
				continue
			}
			p.i++
			return b.String()
		}
		b.WriteByte(c)
		p.i++
	}
}

// doubleQuoted reads "...": literal parts, $name, ${name} and $( ).
func (p *psiParser) doubleQuoted() []psiNode {
	p.i++
	var ps psiParts
	for {
		if p.i >= len(p.src) {
			p.fail("unterminated string")
		}
		c := p.src[p.i]
		switch {
		case c == '"' && p.ahead(1) == '"':
			ps.lit.WriteByte('"')
			p.i += 2
		case c == '"':
			p.i++
			ps.flush(p)
			return ps.parts
		case c == '`' && p.i+1 < len(p.src):
			ps.lit.WriteString(psiEscape(p.src[p.i+1]))
			p.i += 2
		default:
			ps.varOrChar(p)
		}
	}
}

// psiEscape is what a backtick and c stand for.
func psiEscape(c byte) string {
	switch c {
	case '0':
		return "\x00"
	case 'a':
		return "\a"
	case 'b':
		return "\b"
	case 'e':
		return "\x1b"
	case 'f':
		return "\f"
	case 'n':
		return "\n"
	case 'r':
		return "\r"
	case 't':
		return "\t"
	case 'v':
		return "\v"
	}
	return string(c)
}

// stringVar reads the $name or $( ) of an expandable string: a variable
// without member access ("$a.Count" is $a, then the text .Count).
func (p *psiParser) stringVar() psiNode {
	if p.ahead(1) == '(' {
		start := p.i
		p.i += 2
		b := p.block(')')
		p.i++
		return &psiSubexpr{psiPos(start), b, false}
	}
	return p.variable()
}

// variable reads $name or ${name}.
func (p *psiParser) variable() *psiVar {
	start := p.i
	p.i++
	if p.peek() == '{' {
		end := strings.IndexByte(p.src[p.i:], '}')
		if end < 0 {
			p.fail("unterminated ${")
		}
		name := p.src[p.i+1 : p.i+end]
		p.i += end + 1
		return &psiVar{psiPos(start), name}
	}
	j := p.i
	for j < len(p.src) && psiNameChar(p.src[j]) {
		j++
	}
	if j == p.i {
		p.fail("unsupported variable %s", p.found())
	}
	name := p.src[p.i:j]
	p.i = j
	if p.peek() == ':' && p.ahead(1) != ':' {
		if psiNameChar(p.ahead(1)) {
			p.fail("the scope- or drive-qualified variable $%s: is not supported", name)
		}
		// "$i: text" is a parse error in PowerShell.
		p.fail("variable reference $%s: is not valid: ':' was not followed by a valid variable name character (write ${%s}:)", name, name)
	}
	return &psiVar{psiPos(start), name}
}

// opWord reads an operator word (-eq, -and, -not) at the current
// position, lower case, without moving; "" when there is none.
func (p *psiParser) opWord() string {
	if p.peek() != '-' {
		return ""
	}
	j := p.i + 1
	for j < len(p.src) && psiLetter(p.src[j]) {
		j++
	}
	if j == p.i+1 {
		return ""
	}
	return strings.ToLower(p.src[p.i:j])
}

// The expression grammar, loosest first (PowerShell's precedence):
// -and -or -xor (one level, left to right), the comparison operators and
// the binary -join (one level), + and -, the comma, then the unary -not !
// - -join and casts, then member access, indexing and ++.
func (p *psiParser) expression() psiNode {
	return p.chain(p.comparison, func(op string) bool { return op == "-and" || op == "-or" || op == "-xor" })
}

func (p *psiParser) comparison() psiNode {
	return p.chain(p.additive, func(op string) bool {
		if _, ok := psiCompareOps[op]; ok || op == "-join" {
			return true
		}
		switch op {
		case "", "-and", "-or", "-xor":
			return false
		}
		p.fail("the operator %s is not supported", op)
		return false
	})
}

// chain parses operand (op operand)*, left to right, for the operator
// words that takes accepts.
func (p *psiParser) chain(operand func() psiNode, takes func(op string) bool) psiNode {
	l := operand()
	for {
		save := p.i
		p.skipSpace()
		op := p.opWord()
		if !takes(op) {
			p.i = save
			return l
		}
		p.i += len(op)
		p.skipSpaceNL()
		l = &psiBinary{psiPos(save), op, l, operand()}
	}
}

func (p *psiParser) additive() psiNode {
	l := p.arrayLit()
	for {
		save := p.i
		p.skipSpace()
		c, d := p.peek(), p.ahead(1)
		switch {
		case c == '!' && d == '=':
			p.fail("!= is not a PowerShell operator (-ne is)")
		case (c == '*' || c == '/' || c == '%') && d != '=':
			p.fail("the operator %c is not supported", c)
		case (c == '+' || c == '-') && d != '=' && d != c && !psiLetter(d):
			p.i++
			p.skipSpaceNL()
			l = &psiBinary{psiPos(save), string(c), l, p.arrayLit()}
			continue
		}
		p.i = save
		return l
	}
}

// arrayLit reads a, b, c: the comma binds tighter than + and the
// comparisons (1, 2 -eq 2 is (1, 2) -eq 2).
func (p *psiParser) arrayLit() psiNode {
	first := p.unary()
	if p.noComma {
		return first
	}
	return p.commaList(first, p.unary)
}

// unary reads -not x, !x, -x, ,x and [type]x: the operand is a unary
// expression, so -not $a.B -and $c is (-not $a.B) -and $c.
func (p *psiParser) unary() psiNode {
	start := psiPos(p.i)
	switch c := p.peek(); {
	case c == '!':
		p.i++
		p.skipSpaceNL()
		return &psiUnary{start, "-not", p.unary()}
	case c == ',':
		p.i++
		p.skipSpaceNL()
		return &psiArray{start, []psiNode{p.unary()}}
	case (c == '+' || c == '-') && p.ahead(1) == c:
		p.fail("prefix %c%c is not supported", c, c)
	case c == '-':
		if op := p.opWord(); op != "" {
			if op != "-not" && op != "-join" {
				p.fail("the unary operator %s is not supported", op)
			}
			p.i += len(op)
			p.skipSpaceNL()
			return &psiUnary{start, op, p.unary()}
		}
		p.i++
		p.skipSpace()
		return &psiUnary{start, "-neg", p.unary()}
	case c == '[':
		name := p.typeName()
		if p.peek() == ':' && p.ahead(1) == ':' {
			return p.postfix(&psiType{start, name})
		}
		p.skipSpace()
		if c := p.peek(); c != 0 && strings.IndexByte("$(@'\"[", c) >= 0 || psiDigit(c) {
			return &psiCast{start, name, p.unary()}
		}
		p.fail("a type is supported only as [%s]::Member or as a cast", name)
	}
	return p.postfix(p.primary())
}

func (p *psiParser) typeName() string {
	end := strings.IndexByte(p.src[p.i:], ']')
	if end < 0 {
		p.fail("unterminated [")
	}
	name := strings.TrimSpace(p.src[p.i+1 : p.i+end])
	for k := 0; k < len(name); k++ {
		if !psiNameChar(name[k]) && name[k] != '.' {
			p.fail("unsupported type [%s]", name)
		}
	}
	p.i += end + 1
	return name
}

func (p *psiParser) primary() psiNode {
	start := psiPos(p.i)
	switch c := p.peek(); {
	case (c == '$' || c == '@') && p.ahead(1) == '(':
		p.i += 2
		b := p.block(')')
		p.i++
		return &psiSubexpr{start, b, c == '@'}
	case c == '$':
		return p.variable()
	case c == '@':
		p.fail("@ is supported only as @( ) (no hash tables, here-strings or splatting)")
	case c == '(':
		return &psiParen{start, p.enclosed(')', p.pipeline)}
	case c == '\'':
		return &psiStr{start, p.singleQuoted()}
	case c == '"':
		parts := p.doubleQuoted()
		switch {
		case len(parts) == 0:
			return &psiStr{start, ""}
		case len(parts) == 1:
			if s, ok := parts[0].(*psiStr); ok {
				return &psiStr{start, s.s}
			}
		}
		return &psiExpand{start, parts}
	case psiDigit(c) || c == '.' && psiDigit(p.ahead(1)):
		j := p.i
		for j < len(p.src) && (psiNameChar(p.src[j]) || p.src[j] == '.') {
			j++
		}
		v, ok := psiNumber(p.src[p.i:j])
		if !ok {
			p.fail("unsupported number %q", p.src[p.i:j])
		}
		p.i = j
		return &psiNum{start, v}
	case c == '{':
		return p.scriptBlock()
	}
	p.fail("unexpected %s in an expression", p.found())
	return nil
}

func (p *psiParser) scriptBlock() *psiScript {
	start := p.i
	p.i++
	b := p.block('}')
	p.i++
	return &psiScript{psiPos(start), b, p.src[start+1 : p.i-1]}
}

// postfix reads what follows an operand with no blank before it: .Member,
// .Method(args), ::Member, [index], ++ and --.
func (p *psiParser) postfix(x psiNode) psiNode {
	for {
		start := psiPos(p.i)
		switch c := p.peek(); {
		case c == '.' && (psiLetter(p.ahead(1)) || p.ahead(1) == '_'), c == ':' && p.ahead(1) == ':':
			m := &psiMember{psiPos: start, x: x, static: c == ':'}
			if m.static {
				p.i += 2
			} else {
				p.i++
			}
			j := p.i
			for j < len(p.src) && psiNameChar(p.src[j]) {
				j++
			}
			if j == p.i {
				p.fail("want a member name, found %s", p.found())
			}
			m.name, p.i = p.src[p.i:j], j
			if p.peek() == '(' {
				m.call, m.args = true, p.methodArgs()
			}
			x = m
		case c == '[':
			x = &psiIndex{start, x, p.enclosed(']', p.expression)}
		case (c == '+' || c == '-') && p.ahead(1) == c:
			v, ok := x.(*psiVar)
			if !ok {
				p.fail("%c%c is supported on a variable only", c, c)
			}
			p.i += 2
			delta := 1
			if c == '-' {
				delta = -1
			}
			x = &psiIncr{start, v, delta}
		default:
			return x
		}
	}
}

// methodArgs reads (a, b): each argument an expression without the
// comma operator.
func (p *psiParser) methodArgs() []psiNode {
	p.i++
	saved := p.noComma
	p.noComma = true
	defer func() { p.noComma = saved }()
	var args []psiNode
	p.skipSpaceNL()
	if p.peek() == ')' {
		p.i++
		return args
	}
	for {
		args = append(args, p.expression())
		p.skipSpaceNL()
		if p.peek() == ',' {
			p.i++
			p.skipSpaceNL()
			continue
		}
		p.expect(')')
		return args
	}
}

// psiNumber reads a PowerShell number: decimal or 0x hex integers and
// decimal reals, with an optional sign (no type suffixes or multipliers).
func psiNumber(s string) (any, bool) {
	t, neg := s, false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg, t = t[0] == '-', t[1:]
	}
	if t == "" || !psiDigit(t[0]) && !(t[0] == '.' && len(t) > 1 && psiDigit(t[1])) {
		return nil, false
	}
	sign := 1
	if neg {
		sign = -1
	}
	if h, ok := strings.CutPrefix(strings.ToLower(t), "0x"); ok {
		n, err := strconv.ParseInt(h, 16, 64)
		if err != nil {
			return nil, false
		}
		return sign * int(n), true
	}
	if n, err := strconv.Atoi(t); err == nil {
		return sign * n, true
	}
	for k := 0; k < len(t); k++ {
		if c := t[k]; !psiDigit(c) && strings.IndexByte(".eE+-", c) < 0 {
			return nil, false
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return nil, false
	}
	return float64(sign) * f, true
}

// ---- values -------------------------------------------------------------

// Values are nil ($null), psiAutomationNull, string, int, float64, bool,
// []any (an array), psObject (what a cmdlet of the model returns),
// *psiErrorRecord, *psiScript (a script block) and *psiWriter.

// psiAutomationNull is AutomationNull.Value, what a pipeline that
// outputs nothing gives ($x = Get-Nothing). It is $null to the operators,
// but written to a pipeline it is nothing: @($x).Count is 0, while
// @($null).Count is 1.
type psiAutomationNull struct{}

// psiErrorRecord is the $_ of a trap: the error, which converts to its
// message.
type psiErrorRecord struct{ msg string }

// psiWriter is [Console]::Error or [Console]::Out.
type psiWriter struct{ stream string }

func psiIsNull(v any) bool {
	switch v.(type) {
	case nil, psiAutomationNull:
		return true
	}
	return false
}

// psiEnumerate is what writing v to a pipeline writes: an array's
// elements, nothing for AutomationNull, otherwise v.
func psiEnumerate(v any) []any {
	switch x := v.(type) {
	case psiAutomationNull:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

// psiCollect is the value of a pipeline's output: nothing is
// AutomationNull, one object is that object, more an array.
func psiCollect(vals []any) any {
	switch len(vals) {
	case 0:
		return psiAutomationNull{}
	case 1:
		return vals[0]
	}
	return vals
}

// psiTrue is LanguagePrimitives.IsTrue: an array is false when empty,
// its element's truth when it has one element (unless that is an array:
// true when not empty), true with more.
func psiTrue(v any) bool {
	switch x := v.(type) {
	case nil, psiAutomationNull:
		return false
	case bool:
		return x
	case int:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		switch len(x) {
		case 0:
			return false
		case 1:
			if inner, ok := x[0].([]any); ok {
				return len(inner) > 0
			}
			return psiTrue(x[0])
		}
		return true
	}
	return true
}

// psiString converts to a string as PowerShell does: arrays joined with
// a blank ($OFS), $null empty, True and False.
func psiString(v any) string {
	switch x := v.(type) {
	case nil, psiAutomationNull:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return strings.ToUpper(strconv.FormatFloat(x, 'g', -1, 64))
	case bool:
		if x {
			return "True"
		}
		return "False"
	case []any:
		parts := make([]string, len(x))
		for k, e := range x {
			if _, ok := e.([]any); ok {
				parts[k] = "System.Object[]"
			} else {
				parts[k] = psiString(e)
			}
		}
		return strings.Join(parts, " ")
	case psObject:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for k, key := range keys {
			keys[k] = key + "=" + psiString(psiNormalize(x[key]))
		}
		return "@{" + strings.Join(keys, "; ") + "}"
	case *psiErrorRecord:
		return x.msg
	case *psiScript:
		return x.text
	case *psiWriter:
		return "System.IO.TextWriter+SyncTextWriter"
	}
	return fmt.Sprint(v)
}

func psiTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "$null"
	case psiAutomationNull:
		return "nothing (an empty pipeline's output)"
	case string:
		return "a string"
	case int:
		return "an int"
	case float64:
		return "a double"
	case bool:
		return "a bool"
	case []any:
		return "an array"
	case psObject:
		return "an object"
	case *psiErrorRecord:
		return "an ErrorRecord"
	case *psiScript:
		return "a script block"
	case *psiWriter:
		return "a TextWriter"
	}
	return fmt.Sprintf("%T", v)
}

// psiNormalize turns the model's []string and []int into arrays.
func psiNormalize(v any) any {
	switch x := v.(type) {
	case []string:
		out := make([]any, len(x))
		for k, s := range x {
			out[k] = s
		}
		return out
	case []int:
		out := make([]any, len(x))
		for k, n := range x {
			out[k] = n
		}
		return out
	}
	return v
}

// psiToNumber converts to int or float64: $null is 0, a bool 0 or 1, a
// string its number (blanks around it are fine, empty is 0).
func psiToNumber(v any) (any, bool) {
	switch x := v.(type) {
	case nil, psiAutomationNull:
		return 0, true
	case int, float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, true
		}
		return psiNumber(s)
	}
	return nil, false
}

// psiToInt converts to an int; a real is rounded to even, as .NET does.
func psiToInt(v any) (int, error) {
	n, ok := psiToNumber(v)
	if !ok {
		return 0, fmt.Errorf("cannot convert %s %q to an integer", psiTypeName(v), psiString(v))
	}
	if f, ok := n.(float64); ok {
		return int(math.RoundToEven(f)), nil
	}
	return n.(int), nil
}

func psiFloat(n any) float64 {
	if f, ok := n.(float64); ok {
		return f
	}
	return float64(n.(int))
}

// psiArith adds or subtracts two numbers: int when both are.
func psiArith(op byte, a, b any) any {
	x, xok := a.(int)
	y, yok := b.(int)
	if xok && yok {
		if op == '-' {
			return x - y
		}
		return x + y
	}
	if op == '-' {
		return psiFloat(a) - psiFloat(b)
	}
	return psiFloat(a) + psiFloat(b)
}

// psiAdd is +: its left operand decides (string: concatenation, array:
// a longer array, number: addition).
func psiAdd(l, r any) (any, error) {
	switch x := l.(type) {
	case nil, psiAutomationNull:
		if a, ok := r.([]any); ok {
			return slices.Clone(a), nil
		}
		if psiIsNull(r) {
			return nil, nil
		}
		return r, nil
	case string:
		return x + psiString(r), nil
	case []any:
		out := slices.Clone(x)
		if a, ok := r.([]any); ok {
			return append(out, a...), nil
		}
		if psiIsNull(r) {
			r = nil
		}
		return append(out, r), nil
	case int, float64:
		rn, ok := psiToNumber(r)
		if !ok {
			return nil, fmt.Errorf("cannot convert %s %q to a number for +", psiTypeName(r), psiString(r))
		}
		return psiArith('+', x, rn), nil
	}
	return nil, fmt.Errorf("+ is not defined on %s", psiTypeName(l))
}

func psiSub(l, r any) (any, error) {
	ln, lok := psiToNumber(l)
	rn, rok := psiToNumber(r)
	if _, isStr := l.(string); !lok || !rok || isStr {
		return nil, fmt.Errorf("- on %s and %s is not supported", psiTypeName(l), psiTypeName(r))
	}
	return psiArith('-', ln, rn), nil
}

// psiJoin is -join: the elements of l (a scalar is a collection of one)
// as strings, with sep between them.
func psiJoin(l any, sep string) string {
	var parts []string
	if !psiIsNull(l) {
		for _, e := range psiEnumerate(l) {
			parts = append(parts, psiString(e))
		}
	}
	return strings.Join(parts, sep)
}

// psiCompare applies a comparison operator. With an array on the left,
// -eq, -ne, -gt, ... filter it: the result is the array of the elements
// for which the comparison holds ($a -eq $null is not a null test).
func psiCompare(op string, l, r any) (any, error) {
	o := psiCompareOps[op]
	switch o.base {
	case "contains", "notcontains", "in", "notin":
		coll, item := l, r
		if o.base == "in" || o.base == "notin" {
			coll, item = r, l
		}
		var elems []any
		switch c := coll.(type) {
		case psiAutomationNull:
		case []any:
			elems = c
		default:
			elems = []any{c} // a scalar is a collection of one
		}
		found := false
		for _, e := range elems {
			eq, err := psiCompareScalar("eq", o.cs, e, item)
			if err != nil {
				return nil, err
			}
			if eq {
				found = true
				break
			}
		}
		return found != (o.base == "notcontains" || o.base == "notin"), nil
	}
	if arr, ok := l.([]any); ok {
		res := []any{}
		for _, e := range arr {
			ok, err := psiCompareScalar(o.base, o.cs, e, r)
			if err != nil {
				return nil, err
			}
			if ok {
				res = append(res, e)
			}
		}
		return res, nil
	}
	return psiCompareScalar(o.base, o.cs, l, r)
}

// psiCompareScalar compares with the right operand converted to the
// left one's type: a string compares as a string (without case unless
// cs), a number as a number, a bool as a bool. $null equals only $null
// and is less than anything else.
func psiCompareScalar(base string, cs bool, l, r any) (bool, error) {
	if psiIsNull(l) {
		l = nil
	}
	if psiIsNull(r) {
		r = nil
	}
	if base == "like" || base == "notlike" {
		re, err := psiWildcard(psiString(r), cs)
		if err != nil {
			return false, err
		}
		return re.MatchString(psiString(l)) != (base == "notlike"), nil
	}
	var c int
	switch {
	case l == nil || r == nil:
		switch {
		case l == nil && r == nil:
			c = 0
		case l == nil:
			c = -1
		default:
			c = 1
		}
	default:
		var ok bool
		var err error
		c, ok, err = psiCmp(l, r, cs)
		if err != nil {
			return false, err
		}
		if !ok {
			// PowerShell: -eq is false (and -ne true) when the right
			// operand does not convert; ordering it is an error.
			switch base {
			case "eq":
				return false, nil
			case "ne":
				return true, nil
			}
			return false, fmt.Errorf("cannot convert %s %q to %s for -%s", psiTypeName(r), psiString(r), psiTypeName(l), base)
		}
	}
	switch base {
	case "eq":
		return c == 0, nil
	case "ne":
		return c != 0, nil
	case "gt":
		return c > 0, nil
	case "ge":
		return c >= 0, nil
	case "lt":
		return c < 0, nil
	case "le":
		return c <= 0, nil
	}
	return false, fmt.Errorf("unknown comparison %s", base)
}

// psiCmp orders l and r, neither null; ok is false when r does not
// convert to l's type.
func psiCmp(l, r any, cs bool) (c int, ok bool, err error) {
	switch r.(type) {
	case psObject, *psiScript, *psiWriter:
		return 0, false, fmt.Errorf("comparing with %s is not supported", psiTypeName(r))
	}
	switch x := l.(type) {
	case string:
		a, b := x, psiString(r)
		if !cs {
			a, b = strings.ToLower(a), strings.ToLower(b)
		}
		return strings.Compare(a, b), true, nil
	case int, float64:
		rn, ok := psiToNumber(r)
		if !ok {
			return 0, false, nil
		}
		if a, ok := x.(int); ok {
			if b, ok := rn.(int); ok {
				return cmp.Compare(a, b), true, nil
			}
		}
		return cmp.Compare(psiFloat(x), psiFloat(rn)), true, nil
	case bool:
		b := func(t bool) int {
			if t {
				return 1
			}
			return 0
		}
		return cmp.Compare(b(x), b(psiTrue(r))), true, nil
	}
	return 0, false, fmt.Errorf("comparing %s is not supported", psiTypeName(l))
}

// psiWildcard compiles a -like pattern: * ? [set] and ` escapes.
func psiWildcard(pat string, cs bool) (*regexp.Regexp, error) {
	var b strings.Builder
	if !cs {
		b.WriteString("(?i)")
	}
	b.WriteString("(?s)^")
	for k := 0; k < len(pat); k++ {
		switch c := pat[k]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '`':
			if k+1 < len(pat) {
				k++
				b.WriteString(regexp.QuoteMeta(pat[k : k+1]))
			}
		case '[':
			end := strings.IndexByte(pat[k:], ']')
			if end < 0 {
				return nil, fmt.Errorf("wildcard %q: unterminated [", pat)
			}
			b.WriteString("[" + strings.ReplaceAll(pat[k+1:k+end], `\`, `\\`) + "]")
			k += end
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// ---- execution ------------------------------------------------------------

// psiMaxSteps bounds the statements and loop rounds a script may run.
const psiMaxSteps = 100000

type psiInterp struct {
	h      *Host
	src    string
	global *psiScope
	scope  *psiScope
	steps  int
}

// psiScope holds variables (by lower-case name: PowerShell's names have
// no case) and the strict mode set in it (Set-StrictMode is scoped).
type psiScope struct {
	parent    *psiScope
	vars      map[string]any
	strict    int
	strictSet bool
}

// The ways a statement ends other than normally, as errors:
type (
	// psiExitSignal: exit N.
	psiExitSignal struct{ code int }
	// psiLoopSignal: break or continue.
	psiLoopSignal struct{ cont bool }
	// psiTerminating: a terminating PowerShell error (throw, a cmdlet
	// error under Stop), for a trap.
	psiTerminating struct{ rec *psiErrorRecord }
	// psiFault: what the interpreter does not support, or a script bug.
	psiFault struct {
		line int
		msg  string
	}
)

func (e *psiExitSignal) Error() string  { return fmt.Sprintf("exit %d", e.code) }
func (e *psiLoopSignal) Error() string  { return "break or continue" }
func (e *psiTerminating) Error() string { return "terminating error: " + e.rec.msg }
func (e *psiFault) Error() string       { return fmt.Sprintf("ps1 line %d: %s", e.line, e.msg) }

func (in *psiInterp) line(n psiNode) int { return 1 + strings.Count(in.src[:n.at()], "\n") }

func (in *psiInterp) faultf(n psiNode, format string, args ...any) error {
	return &psiFault{in.line(n), fmt.Sprintf(format, args...)}
}

// print is where the script's top-level output goes: the console, which
// shows nothing for $null.
func (in *psiInterp) print(v any) {
	if v != nil {
		in.h.Out.WriteString(psiString(v) + "\r\n")
	}
}

func (in *psiInterp) strict() int {
	for s := in.scope; s != nil; s = s.parent {
		if s.strictSet {
			return s.strict
		}
	}
	return 0
}

func (in *psiInterp) lookup(name string) (any, bool) {
	switch k := strings.ToLower(name); k {
	case "true":
		return true, true
	case "false":
		return false, true
	case "null":
		return nil, true
	default:
		for s := in.scope; s != nil; s = s.parent {
			if v, ok := s.vars[k]; ok {
				return v, true
			}
		}
	}
	return nil, false
}

func (in *psiInterp) readVar(v *psiVar) (any, error) {
	x, ok := in.lookup(v.name)
	if !ok && in.strict() >= 1 {
		return nil, in.faultf(v, "the variable '$%s' cannot be retrieved because it has not been set (Set-StrictMode)", v.name)
	}
	return x, nil
}

// set assigns in the current scope, as PowerShell does.
func (in *psiInterp) set(name string, v any) error {
	switch k := strings.ToLower(name); k {
	case "null":
		return nil // $null = ... discards
	case "true", "false":
		return fmt.Errorf("cannot overwrite variable %s", name)
	default:
		if in.scope.vars == nil {
			in.scope.vars = map[string]any{}
		}
		in.scope.vars[k] = v
	}
	return nil
}

func (in *psiInterp) tick(n psiNode) error {
	if in.steps++; in.steps > psiMaxSteps {
		return in.faultf(n, "more than %d steps: an endless loop?", psiMaxSteps)
	}
	return nil
}

// execBlock runs a statement list. A terminating error in a statement of
// a list with a trap runs the trap, then (unless the trap exits or
// breaks) the statement after that one in this list: that is where
// PowerShell's compiled trap handler resumes, also when the error comes
// from a block nested in the statement.
func (in *psiInterp) execBlock(b *psiBlock, out func(any)) error {
	for _, s := range b.stmts {
		err := in.exec(s, out)
		if err == nil {
			continue
		}
		term, ok := err.(*psiTerminating)
		if !ok || b.trap == nil {
			return err
		}
		if err := in.runTrap(b.trap, term, out); err != nil {
			return err
		}
	}
	return nil
}

// runTrap runs a trap's body in a child scope, with $_ the error. Its
// end: continue goes on silently, break passes the error on, falling off
// the end reports the error and goes on.
func (in *psiInterp) runTrap(t *psiTrap, term *psiTerminating, out func(any)) error {
	saved := in.scope
	in.scope = &psiScope{parent: saved, vars: map[string]any{"_": term.rec}}
	err := in.execBlock(t.body, out)
	in.scope = saved
	switch e := err.(type) {
	case nil:
		in.h.Out.WriteString(term.rec.msg + "\r\n")
		return nil
	case *psiLoopSignal:
		if e.cont {
			return nil
		}
		return term
	}
	return err
}

// exec runs a statement; an error that is not a signal gets its line.
func (in *psiInterp) exec(s psiNode, out func(any)) error {
	if err := in.tick(s); err != nil {
		return err
	}
	err := in.exec1(s, out)
	switch err.(type) {
	case nil, *psiExitSignal, *psiLoopSignal, *psiTerminating, *psiFault:
		return err
	}
	return &psiFault{in.line(s), err.Error()}
}

// exec1 runs a statement of any kind.
func (in *psiInterp) exec1(s psiNode, out func(any)) error {
	switch s := s.(type) {
	case *psiPipeline:
		return in.execPipeline(s, out)
	case *psiAssign:
		_, err := in.eval(s) // an assignment statement outputs nothing
		return err
	case *psiIf:
		return in.execIf(s, out)
	case *psiFor:
		return in.execFor(s, out)
	case *psiForeach:
		return in.execForeach(s, out)
	case *psiWhile:
		return in.execWhile(s, out)
	case *psiBreak:
		return &psiLoopSignal{s.cont}
	case *psiExit:
		return in.execExit(s)
	case *psiThrow:
		return in.execThrow(s)
	case *psiTrap:
		return nil // see execBlock
	}
	return fmt.Errorf("unsupported statement %T", s)
}

// execPipeline runs a pipeline statement and outputs what it gives.
func (in *psiInterp) execPipeline(s *psiPipeline, out func(any)) error {
	if len(s.elems) == 1 {
		// $w++ as a statement outputs nothing.
		if inc, ok := s.elems[0].(*psiIncr); ok {
			_, err := in.eval(inc)
			return err
		}
	}
	vals, err := in.runPipeline(s)
	for _, v := range vals {
		out(v)
	}
	return err
}

// execIf runs the block of the first true condition, else the else block.
func (in *psiInterp) execIf(s *psiIf, out func(any)) error {
	for k, c := range s.conds {
		v, err := in.pipelineValue(c)
		if err != nil {
			return err
		}
		if psiTrue(v) {
			return in.execBlock(s.blocks[k], out)
		}
	}
	if s.els != nil {
		return in.execBlock(s.els, out)
	}
	return nil
}

// execFor runs for (init; cond; step) { body }.
func (in *psiInterp) execFor(s *psiFor, out func(any)) error {
	if s.init != nil {
		if err := in.exec(s.init, out); err != nil {
			return err
		}
	}
	for {
		if err := in.tick(s); err != nil {
			return err
		}
		if s.cond != nil {
			v, err := in.pipelineValue(s.cond)
			if err != nil {
				return err
			}
			if !psiTrue(v) {
				return nil
			}
		}
		if stop, err := in.loopBody(s.body, out); stop || err != nil {
			return err
		}
		if s.step != nil {
			if err := in.exec(s.step, out); err != nil {
				return err
			}
		}
	}
}

// execForeach runs foreach ($name in coll) { body }.
func (in *psiInterp) execForeach(s *psiForeach, out func(any)) error {
	v, err := in.pipelineValue(s.coll)
	if err != nil {
		return err
	}
	var items []any
	if !psiIsNull(v) { // foreach runs no round over $null (PowerShell 3 and later)
		items = psiEnumerate(v)
	}
	for _, x := range items {
		if err := in.tick(s); err != nil {
			return err
		}
		if err := in.set(s.name, x); err != nil {
			return err
		}
		if stop, err := in.loopBody(s.body, out); stop || err != nil {
			return err
		}
	}
	return nil
}

// execWhile runs while (cond) { body }: a for loop with only a
// condition.
func (in *psiInterp) execWhile(s *psiWhile, out func(any)) error {
	return in.execFor(&psiFor{psiPos: s.psiPos, cond: s.cond, body: s.body}, out)
}

// execExit: exit [code] ends the script, by way of a *psiExitSignal.
func (in *psiInterp) execExit(s *psiExit) error {
	code := 0
	if s.val != nil {
		v, err := in.pipelineValue(s.val)
		if err != nil {
			return err
		}
		if code, err = psiToInt(v); err != nil {
			return err
		}
	}
	return &psiExitSignal{code}
}

// execThrow: throw [value] raises a terminating error; an error record
// is thrown as it is, anything else becomes the message.
func (in *psiInterp) execThrow(s *psiThrow) error {
	msg := "ScriptHalted"
	if s.val != nil {
		v, err := in.pipelineValue(s.val)
		if err != nil {
			return err
		}
		if rec, ok := v.(*psiErrorRecord); ok {
			return &psiTerminating{rec}
		}
		if !psiIsNull(v) {
			msg = psiString(v)
		}
	}
	return &psiTerminating{&psiErrorRecord{msg}}
}

// loopBody runs a loop's body once; stop is true after break.
func (in *psiInterp) loopBody(b *psiBlock, out func(any)) (stop bool, err error) {
	err = in.execBlock(b, out)
	if sig, ok := err.(*psiLoopSignal); ok {
		return !sig.cont, nil
	}
	return err != nil, err
}

// pipelineValue is the value of a pipeline used as a value: an expression
// alone keeps its value (an array stays an array, even of one element);
// commands give their collected output (one object unwrapped).
func (in *psiInterp) pipelineValue(n psiNode) (any, error) {
	if pl, ok := n.(*psiPipeline); ok {
		if len(pl.elems) == 1 {
			if _, isCmd := pl.elems[0].(*psiCommand); !isCmd {
				return in.eval(pl.elems[0])
			}
		}
		vals, err := in.runPipeline(pl)
		return psiCollect(vals), err
	}
	return in.eval(n)
}

// runPipeline runs a pipeline and gives its output objects. Each command
// gets the whole output of the one before (the model's cmdlets do not
// stream).
func (in *psiInterp) runPipeline(pl *psiPipeline) ([]any, error) {
	var cur []any
	for k, e := range pl.elems {
		var err error
		if c, ok := e.(*psiCommand); ok {
			cur, err = in.runCommand(c, cur, k > 0)
		} else {
			var v any
			v, err = in.eval(e)
			cur = psiEnumerate(v)
		}
		if err != nil {
			return nil, err
		}
	}
	return cur, nil
}

func (in *psiInterp) evalAll(ns []psiNode) ([]any, error) {
	vals := make([]any, len(ns))
	for k, n := range ns {
		v, err := in.eval(n)
		if err != nil {
			return nil, err
		}
		vals[k] = v
	}
	return vals, nil
}

// eval gives the value of an expression.
func (in *psiInterp) eval(n psiNode) (any, error) {
	switch n := n.(type) {
	case *psiStr:
		return n.s, nil
	case *psiNum:
		return n.v, nil
	case *psiVar:
		return in.readVar(n)
	case *psiExpand:
		return in.evalExpand(n)
	case *psiArray:
		vals, err := in.evalAll(n.elems)
		for k, v := range vals {
			if psiIsNull(v) {
				vals[k] = nil
			}
		}
		return vals, err
	case *psiSubexpr:
		return in.evalSubexpr(n)
	case *psiParen:
		return in.pipelineValue(n.pipe)
	case *psiAssign:
		return in.assign(n)
	case *psiPipeline:
		return in.pipelineValue(n)
	case *psiScript:
		return n, nil
	case *psiUnary:
		return in.evalUnary(n)
	case *psiBinary:
		return in.binary(n)
	case *psiMember:
		return in.memberExpr(n)
	case *psiIndex:
		return in.evalIndex(n)
	case *psiIncr:
		return in.evalIncr(n)
	case *psiCast:
		return in.evalCast(n)
	case *psiType:
		return nil, fmt.Errorf("the type [%s] as a value is not supported", n.name)
	}
	return nil, fmt.Errorf("unsupported expression %T", n)
}

// evalExpand gives an expandable ("...") string: its parts as strings,
// joined.
func (in *psiInterp) evalExpand(n *psiExpand) (any, error) {
	var b strings.Builder
	for _, part := range n.parts {
		v, err := in.eval(part)
		if err != nil {
			return nil, err
		}
		b.WriteString(psiString(v))
	}
	return b.String(), nil
}

// evalSubexpr gives $( ) or @( ): the output of its statements.
func (in *psiInterp) evalSubexpr(n *psiSubexpr) (any, error) {
	vals := []any{}
	if err := in.execBlock(n.body, func(v any) { vals = append(vals, v) }); err != nil {
		return nil, err
	}
	if n.array {
		return vals, nil // @( ): always an array
	}
	return psiCollect(vals), nil
}

// evalUnary gives -not x, -join x or -x.
func (in *psiInterp) evalUnary(n *psiUnary) (any, error) {
	x, err := in.eval(n.x)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "-not":
		return !psiTrue(x), nil
	case "-join":
		return psiJoin(x, ""), nil
	}
	return psiSub(0, x)
}

// evalIndex gives x[i].
func (in *psiInterp) evalIndex(n *psiIndex) (any, error) {
	x, err := in.eval(n.x)
	if err != nil {
		return nil, err
	}
	i, err := in.eval(n.i)
	if err != nil {
		return nil, err
	}
	return in.index(x, i)
}

// evalIncr runs $v++ or $v-- on a number and gives the old value.
func (in *psiInterp) evalIncr(n *psiIncr) (any, error) {
	old, err := in.readVar(n.v)
	if err != nil {
		return nil, err
	}
	num, ok := psiToNumber(old)
	if _, isStr := old.(string); !ok || isStr {
		return nil, fmt.Errorf("++ or -- on %s", psiTypeName(old))
	}
	return old, in.set(n.v.name, psiArith('+', num, n.delta))
}

// evalCast gives [int], [string] or [bool] x.
func (in *psiInterp) evalCast(n *psiCast) (any, error) {
	x, err := in.eval(n.x)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(n.typ) {
	case "int", "int32", "system.int32":
		return psiToInt(x)
	case "string", "system.string":
		return psiString(x), nil
	case "bool", "boolean", "system.boolean":
		return psiTrue(x), nil
	}
	return nil, fmt.Errorf("the cast [%s] is not supported", n.typ)
}

func (in *psiInterp) assign(a *psiAssign) (any, error) {
	v, err := in.pipelineValue(a.rhs)
	if err != nil {
		return nil, err
	}
	if a.op != "=" {
		old, err := in.readVar(&psiVar{a.psiPos, a.name})
		if err != nil {
			return nil, err
		}
		if a.op == "+=" {
			v, err = psiAdd(old, v)
		} else {
			v, err = psiSub(old, v)
		}
		if err != nil {
			return nil, err
		}
	}
	return v, in.set(a.name, v)
}

func (in *psiInterp) binary(n *psiBinary) (any, error) {
	l, err := in.eval(n.l)
	if err != nil {
		return nil, err
	}
	// -and and -or do not evaluate their right operand when the left
	// one decides.
	switch n.op {
	case "-and":
		if !psiTrue(l) {
			return false, nil
		}
	case "-or":
		if psiTrue(l) {
			return true, nil
		}
	}
	r, err := in.eval(n.r)
	if err != nil {
		return nil, err
	}
	switch n.op {
	case "-and", "-or":
		return psiTrue(r), nil
	case "-xor":
		return psiTrue(l) != psiTrue(r), nil
	case "+":
		return psiAdd(l, r)
	case "-":
		return psiSub(l, r)
	case "-join":
		return psiJoin(l, psiString(r)), nil
	}
	return psiCompare(n.op, l, r)
}

func (in *psiInterp) memberExpr(n *psiMember) (any, error) {
	var x any
	if n.static {
		t, ok := n.x.(*psiType)
		if !ok {
			return nil, fmt.Errorf("::%s on something other than a type", n.name)
		}
		if l := strings.ToLower(t.name); l != "console" && l != "system.console" {
			return nil, fmt.Errorf("the type [%s] is not supported", t.name)
		}
		switch strings.ToLower(n.name) {
		case "error", "out":
			if n.call {
				return nil, fmt.Errorf("[Console]::%s is not a method", n.name)
			}
			return &psiWriter{strings.ToLower(n.name)}, nil
		case "writeline", "write":
			x = &psiWriter{"out"} // [Console]::WriteLine(x)
		default:
			return nil, fmt.Errorf("[Console]::%s is not supported", n.name)
		}
	} else {
		var err error
		if x, err = in.eval(n.x); err != nil {
			return nil, err
		}
	}
	if !n.call {
		return in.member(x, n.name)
	}
	args, err := in.evalAll(n.args)
	if err != nil {
		return nil, err
	}
	lname := strings.ToLower(n.name)
	if lname == "tostring" && len(args) == 0 {
		return psiString(x), nil
	}
	if _, ok := x.(*psiWriter); ok && (lname == "writeline" || lname == "write") && len(args) <= 1 {
		s := ""
		if len(args) == 1 {
			switch args[0].(type) {
			case []any, psObject, *psiScript:
				// .NET would pick an overload and print a type name.
				return nil, fmt.Errorf("%s(%s) is not supported", n.name, psiTypeName(args[0]))
			}
			s = psiString(args[0])
		}
		if lname == "writeline" {
			s += "\r\n"
		}
		in.h.Out.WriteString(s)
		return psiAutomationNull{}, nil // a void method outputs nothing
	}
	return nil, fmt.Errorf("the method %s(%d arguments) of %s is not supported", n.name, len(args), psiTypeName(x))
}

// member reads a property. An array has Count and Length; any other name
// is member enumeration (PowerShell 3 and later): the property of each
// element, one value unwrapped. Under Set-StrictMode -Version 2.0 a
// property that is not there is an error, and Windows PowerShell 5.1
// counts Count on a scalar or $null among them.
func (in *psiInterp) member(x any, name string) (any, error) {
	lname := strings.ToLower(name)
	switch v := x.(type) {
	case []any:
		if lname == "count" || lname == "length" {
			return len(v), nil
		}
		if len(v) == 0 && in.strict() >= 2 {
			break
		}
		var got []any
		for _, e := range v {
			r, err := in.member(e, name)
			if err != nil {
				return nil, err
			}
			got = append(got, psiEnumerate(r)...)
		}
		return psiCollect(got), nil
	case psObject:
		if p, ok := v[name]; ok {
			return psiNormalize(p), nil
		}
		for k, p := range v {
			if strings.EqualFold(k, name) {
				return psiNormalize(p), nil
			}
		}
	case string:
		if lname == "length" {
			return len(v), nil
		}
	case *psiErrorRecord:
		if lname == "exception" {
			return psObject{"Message": v.msg}, nil
		}
	}
	if in.strict() >= 2 {
		return nil, fmt.Errorf("the property '%s' cannot be found on %s (Set-StrictMode -Version 2.0)", name, psiTypeName(x))
	}
	if lname == "count" || lname == "length" {
		if psiIsNull(x) {
			return 0, nil
		}
		return 1, nil
	}
	return nil, nil
}

// index reads x[i]: an array's element (from the end when negative,
// $null out of range), a string's character, and a scalar is a
// collection of one (PowerShell 3 and later).
func (in *psiInterp) index(x, i any) (any, error) {
	if _, ok := i.([]any); ok {
		return nil, fmt.Errorf("indexing with an array (a slice) is not supported")
	}
	k, err := psiToInt(i)
	if err != nil {
		return nil, err
	}
	n := 1
	switch v := x.(type) {
	case nil, psiAutomationNull:
		return nil, fmt.Errorf("cannot index into a null array")
	case []any:
		n = len(v)
	case string:
		n = len(v)
	}
	if k < 0 {
		k += n
	}
	if k < 0 || k >= n {
		if in.strict() >= 3 {
			return nil, fmt.Errorf("index %v is out of range (Set-StrictMode -Version 3.0)", i)
		}
		return nil, nil
	}
	switch v := x.(type) {
	case []any:
		return v[k], nil
	case string:
		return v[k : k+1], nil
	}
	return x, nil
}

// ---- commands -------------------------------------------------------------

// psiBound is a command's parameters after binding.
type psiBound struct {
	named         map[string]any // as written; a switch without value is true
	positional    []any
	errorAction   string // -ErrorAction, "" when not given
	warningAction string
}

func (b *psiBound) get(name string) (any, bool) {
	for k, v := range b.named {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// allow checks that the command got only these parameters and at most
// maxPos positional arguments.
func (b *psiBound) allow(cmd string, maxPos int, names ...string) error {
	for k := range b.named {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, k) }) && !psiCommonParams[strings.ToLower(k)] {
			return fmt.Errorf("%s: the parameter -%s is not supported", cmd, k)
		}
	}
	if len(b.positional) > maxPos {
		return fmt.Errorf("%s: %d positional arguments (%s)", cmd, len(b.positional), psiString(b.positional))
	}
	return nil
}

// psiSwitchParams are the switch parameters the scripts may use: a
// switch takes no value from the next argument (-Confirm $false passes
// $false as a positional argument; -Confirm:$false is the way).
var psiSwitchParams = map[string]bool{
	"confirm": true, "whatif": true, "verbose": true, "debug": true, "passthru": true,
	"force": true, "resetserveraddresses": true, "norestart": true, "nonewline": true,
	"off": true, "includehidden": true, "physical": true, "asjob": true,
}

var psiCommonParams = map[string]bool{"verbose": true, "debug": true, "whatif": true, "confirm": true}

// bind pairs each parameter with its value: after -Name:, or the next
// argument unless the parameter is a switch.
func (in *psiInterp) bind(c *psiCommand) (*psiBound, error) {
	b := &psiBound{named: map[string]any{}}
	for k := 0; k < len(c.elems); k++ {
		e := c.elems[k]
		if e.param == "" {
			v, err := in.eval(e.arg)
			if err != nil {
				return nil, err
			}
			b.positional = append(b.positional, v)
			continue
		}
		var v any = true
		var err error
		switch {
		case e.colon:
			v, err = in.eval(e.arg)
		case k+1 < len(c.elems) && c.elems[k+1].param == "" && !psiSwitchParams[strings.ToLower(e.param)]:
			k++
			v, err = in.eval(c.elems[k].arg)
		}
		if err != nil {
			return nil, err
		}
		if _, dup := b.get(e.param); dup {
			return nil, fmt.Errorf("%s: the parameter -%s is given twice", c.name, e.param)
		}
		switch strings.ToLower(e.param) {
		case "erroraction", "ea", "warningaction", "wa":
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%s: -%s %s", c.name, e.param, psiTypeName(v))
			}
			if l := strings.ToLower(e.param); l == "erroraction" || l == "ea" {
				b.errorAction = s
			} else {
				b.warningAction = s
			}
			continue
		}
		b.named[e.param] = v
	}
	return b, nil
}

// runCommand runs a command with the output of the one before it in the
// pipeline (downstream: it is not the first element).
func (in *psiInterp) runCommand(c *psiCommand, input []any, downstream bool) ([]any, error) {
	lname := strings.ToLower(c.name)
	if lname == "netsh" || lname == "netsh.exe" {
		return in.native(c, downstream)
	}
	b, err := in.bind(c)
	if err != nil {
		return nil, err
	}
	switch lname {
	case "where-object":
		return in.whereObject(c, b, input)
	case "out-null":
		return nil, b.allow(c.name, 0)
	case "start-sleep":
		return nil, in.startSleep(c, b)
	case "write-output":
		return writeOutput(c, b, input)
	case "write-warning":
		return nil, in.writeWarning(c, b, input)
	case "write-host":
		return nil, in.writeHost(c, b)
	case "write-error":
		return nil, in.writeError(c, b)
	case "set-strictmode":
		return nil, in.setStrictMode(c, b)
	}
	verb, noun, _ := strings.Cut(lname, "-")
	if verb != "" && (strings.HasPrefix(noun, "net") || strings.HasPrefix(noun, "dnsclient")) {
		return in.modelCmdlet(c, b, input, downstream)
	}
	return nil, fmt.Errorf("unknown command %s", c.name)
}

// whereObject runs Where-Object: the input objects for which the filter
// script block is true.
func (in *psiInterp) whereObject(c *psiCommand, b *psiBound, input []any) ([]any, error) {
	if err := b.allow(c.name, 1, "FilterScript"); err != nil {
		return nil, err
	}
	fs, ok := b.get("FilterScript")
	if !ok && len(b.positional) == 1 {
		fs = b.positional[0]
	}
	sb, ok := fs.(*psiScript)
	if !ok {
		return nil, fmt.Errorf("Where-Object: want a script block, got %s", psiTypeName(fs))
	}
	var out []any
	for _, o := range input {
		res, err := in.invokeFilter(c, sb, o)
		if err != nil {
			return nil, err
		}
		if psiTrue(res) {
			out = append(out, o)
		}
	}
	return out, nil
}

// startSleep runs Start-Sleep: it counts the sleep and calls the host's
// OnSleep instead of waiting.
func (in *psiInterp) startSleep(c *psiCommand, b *psiBound) error {
	if err := b.allow(c.name, 1, "Seconds", "Milliseconds"); err != nil {
		return err
	}
	d, ok := b.get("Seconds")
	if !ok {
		d, ok = b.get("Milliseconds")
	}
	if !ok && len(b.positional) == 1 {
		d, ok = b.positional[0], true
	}
	if _, isNum := psiToNumber(d); !ok || !isNum || psiIsNull(d) {
		return fmt.Errorf("Start-Sleep: want a duration")
	}
	in.h.Slept++
	if in.h.OnSleep != nil {
		in.h.OnSleep(in.h)
	}
	return nil
}

// writeOutput runs Write-Output: the input, then its arguments enumerated.
func writeOutput(c *psiCommand, b *psiBound, input []any) ([]any, error) {
	if err := b.allow(c.name, 1<<20, "InputObject"); err != nil {
		return nil, err
	}
	out := slices.Clone(input)
	args := b.positional
	if v, ok := b.get("InputObject"); ok {
		args = append(args, v)
	}
	for _, a := range args {
		out = append(out, psiEnumerate(a)...)
	}
	return out, nil
}

// writeWarning runs Write-Warning: each message (the input's, then the
// arguments') on the console after "WARNING: ", unless -WarningAction
// silences it.
func (in *psiInterp) writeWarning(c *psiCommand, b *psiBound, input []any) error {
	if err := b.allow(c.name, 1, "Message"); err != nil {
		return err
	}
	msgs := slices.Clone(input)
	if v, ok := b.get("Message"); ok {
		msgs = append(msgs, v)
	}
	msgs = append(msgs, b.positional...)
	switch strings.ToLower(b.warningAction) {
	case "silentlycontinue", "ignore":
		return nil
	case "", "continue":
	default:
		return fmt.Errorf("Write-Warning: -WarningAction %s is not supported", b.warningAction)
	}
	for _, m := range msgs {
		in.h.Out.WriteString("WARNING: " + psiString(m) + "\r\n")
	}
	return nil
}

// writeHost runs Write-Host: its arguments on the console, with a line
// end unless -NoNewline.
func (in *psiInterp) writeHost(c *psiCommand, b *psiBound) error {
	if err := b.allow(c.name, 1<<20, "Object", "NoNewline"); err != nil {
		return err
	}
	args := b.positional
	if v, ok := b.get("Object"); ok {
		args = append(args, v)
	}
	s := psiString(args)
	if v, _ := b.get("NoNewline"); v != true {
		s += "\r\n"
	}
	in.h.Out.WriteString(s)
	return nil
}

// writeError runs Write-Error: a cmdlet error with its message.
func (in *psiInterp) writeError(c *psiCommand, b *psiBound) error {
	if err := b.allow(c.name, 1, "Message"); err != nil {
		return err
	}
	msg, ok := b.get("Message")
	if !ok && len(b.positional) == 1 {
		msg = b.positional[0]
	}
	return in.cmdletError(c, b, psiString(msg))
}

// setStrictMode runs Set-StrictMode -Version 1, 2, 3 or Latest (3), or
// -Off, for the current scope.
func (in *psiInterp) setStrictMode(c *psiCommand, b *psiBound) error {
	if err := b.allow(c.name, 0, "Version", "Off"); err != nil {
		return err
	}
	level := 0
	if v, ok := b.get("Version"); ok {
		switch x := v.(type) {
		case int:
			level = x
		case float64:
			level = int(x)
		case string:
			if !strings.EqualFold(x, "latest") {
				return fmt.Errorf("Set-StrictMode -Version %s is not supported", x)
			}
			level = 3
		}
		if level < 1 || level > 3 {
			return fmt.Errorf("Set-StrictMode -Version %v is not supported", v)
		}
	} else if _, off := b.get("Off"); !off {
		return fmt.Errorf("Set-StrictMode: want -Version or -Off")
	}
	in.scope.strict, in.scope.strictSet = level, true
	return nil
}

// invokeFilter runs Where-Object's script block for one object. Like
// PowerShell's Where-Object it runs in the caller's scope (not a child
// one), with $_ the object.
func (in *psiInterp) invokeFilter(c *psiCommand, sb *psiScript, o any) (any, error) {
	vars := in.scope.vars
	if vars == nil {
		vars = map[string]any{}
		in.scope.vars = vars
	}
	old, had := vars["_"]
	vars["_"] = o
	defer func() {
		if had {
			vars["_"] = old
		} else {
			delete(vars, "_")
		}
	}()
	var got []any
	err := in.execBlock(sb.body, func(v any) { got = append(got, v) })
	if _, ok := err.(*psiLoopSignal); ok {
		return nil, in.faultf(c, "break or continue in a script block leaves the loop around the pipeline")
	}
	return psiCollect(got), err
}

// cmdletError handles a cmdlet's error by its -ErrorAction, else by
// $ErrorActionPreference: Stop makes it terminating, SilentlyContinue and
// Ignore drop it, Continue prints it and goes on.
func (in *psiInterp) cmdletError(c *psiCommand, b *psiBound, msg string) error {
	act := b.errorAction
	if act == "" {
		v, _ := in.lookup("ErrorActionPreference")
		act = psiString(v)
	}
	switch strings.ToLower(act) {
	case "stop":
		return &psiTerminating{&psiErrorRecord{msg}}
	case "silentlycontinue", "ignore":
		return nil
	case "continue":
		in.h.Out.WriteString(c.name + " : " + msg + "\r\n")
		return nil
	}
	return fmt.Errorf("%s: the error action %q is not supported", c.name, act)
}

// modelCmdlet runs a cmdlet of the host model. Downstream, it runs once
// for each input object, as PowerShell's ProcessRecord does (and not at
// all without input).
func (in *psiInterp) modelCmdlet(c *psiCommand, b *psiBound, input []any, downstream bool) ([]any, error) {
	if len(b.positional) > 0 {
		return nil, fmt.Errorf("%s: positional arguments %s (the scripts name every parameter)", c.name, psiString(b.positional))
	}
	params := map[string]any{}
	for k, v := range b.named {
		pv, err := psiParamValue(v)
		if err != nil {
			return nil, fmt.Errorf("%s -%s: %v", c.name, k, err)
		}
		params[k] = pv
	}
	call := func(objs []psObject) (_ []any, err error) {
		defer func() {
			// The model asserts the types of what it is given.
			if r := recover(); r != nil {
				err = fmt.Errorf("%s: the host model failed on its input: %v", c.name, r)
			}
		}()
		res, err := in.h.cmdlet(c.name, params, objs)
		out := make([]any, len(res))
		for k, o := range res {
			out[k] = o
		}
		if err != nil {
			if strings.HasPrefix(err.Error(), "The term '") {
				// Not found is no cmdlet error: -ErrorAction cannot hide it.
				return nil, fmt.Errorf("unknown cmdlet %s", c.name)
			}
			return out, in.cmdletError(c, b, err.Error())
		}
		return out, nil
	}
	if !downstream {
		return call(nil)
	}
	var out []any
	for _, o := range input {
		obj, ok := o.(psObject)
		if !ok {
			return nil, fmt.Errorf("%s: pipeline input %s is not supported", c.name, psiTypeName(o))
		}
		got, err := call([]psObject{obj})
		out = append(out, got...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// psiParamValue converts a value for the model: string, int, bool, or an
// array as []string.
func psiParamValue(v any) (any, error) {
	switch x := v.(type) {
	case string, int, bool:
		return x, nil
	case []any:
		ss := make([]string, len(x))
		for k, e := range x {
			switch e.(type) {
			case string, int:
				ss[k] = psiString(e)
			default:
				return nil, fmt.Errorf("an array with %s", psiTypeName(e))
			}
		}
		return ss, nil
	}
	return nil, fmt.Errorf("%s is not supported as a value", psiTypeName(v))
}

// native runs netsh. Each argument is a string (an array gives several),
// with the quotes PowerShell's parser removed: interface="$i" is the one
// argument interface=5. Windows PowerShell 5.1 drops an empty argument.
// The output lines are the command's output objects; the exit code goes
// to $LASTEXITCODE, and a non-zero one is no PowerShell error.
func (in *psiInterp) native(c *psiCommand, downstream bool) ([]any, error) {
	if downstream {
		return nil, fmt.Errorf("pipeline input to %s is not supported", c.name)
	}
	var args []string
	for _, e := range c.elems {
		if e.param != "" {
			s := e.raw
			if e.colon {
				v, err := in.eval(e.arg)
				if err != nil {
					return nil, err
				}
				s += psiString(v)
			}
			args = append(args, s)
			continue
		}
		v, err := in.eval(e.arg)
		if err != nil {
			return nil, err
		}
		for _, x := range psiEnumerate(v) {
			if s := psiString(x); s != "" {
				args = append(args, s)
			}
		}
	}
	text, code := in.h.netsh(args)
	in.global.vars["lastexitcode"] = code
	text = strings.TrimSuffix(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	if text == "" {
		return nil, nil
	}
	var out []any
	for _, l := range strings.Split(text, "\n") {
		out = append(out, l)
	}
	return out, nil
}

// ---- tests ----------------------------------------------------------------
