package winmodel

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// A model of cmd.exe that runs a generated .cmd against the Host model.
//
// It follows the batch parser as the community has pinned it down by
// experiment (dbenham and jeb, "How does the Windows Command Interpreter
// (CMD.EXE) parse scripts?", Stack Overflow 4094699), in its phases:
//
//  1. percent expansion of the line as read (%%, %1, %VAR%, %VAR:~s,l%,
//     %VAR:a=b%), once for a whole line or parenthesised block, before
//     anything in it runs;
//  2. the special characters: quotes, the ^ escape, & && || | < > ( ),
//     which build the command tree (IF and FOR take the rest of the line);
//  4. FOR variables (%A, %~A) in the commands under DO, each iteration,
//     after the tree is built, so that their values are never parsed;
//  6. CALL expands percents a second time;
//  7. the command runs, with its redirections.
//
// Delayed expansion (phase 5) and pipes are not modelled: a script that
// needs them is an error. The external programs are the host's doors
// (netsh, getmac, reg) and a ping of this file; the files a
// script writes live in a map.

// RunCmd runs script as "cmd /c script.cmd" would on h: exit is the
// script's exit code (exit /b N, or the ERRORLEVEL at the end of the
// file); err is set for what this model does not support or a malformed
// script (an unknown command or label, unbalanced quotes or parentheses,
// more than batMaxSteps steps).
func RunCmd(h *Host, script []byte) (exit int, err error) {
	return newBatInterp(h).run(script)
}

// batMaxSteps bounds a run: a script that loops for ever is an error.
const batMaxSteps = 100000

// batScriptPath is %0 of the main script.
const batScriptPath = `C:\ProgramData\enicfg\enicfg-network.cmd`

// batInterp is one cmd.exe process.
type batInterp struct {
	h     *Host
	vars  map[string]batVar   // upper-case name -> variable
	saved []map[string]batVar // the SETLOCAL stack
	// files is the file system, shared with child processes: lower-case
	// path -> content.
	files      map[string]string
	lines      []string // the script's lines, CR and LF removed
	errorlevel int
	echo       bool
	steps      *int      // shared with child processes
	frame      *batFrame // the batch context running; nil in cmd /c
	// forVars are the FOR variables that are set (case-sensitive), and
	// forDepth how many FOR bodies of the running batch context are
	// being run: phase 4 applies only there.
	forVars  map[byte]string
	forDepth int
	batch    bool // batch-file mode (a script) or command-line mode (cmd /c)
	// placeholder, when set, is the value of every variable that is not
	// (ParseCmd).
	placeholder string
}

type batVar struct{ name, value string }

// batFrame is a batch context: the script, or a CALLed label.
type batFrame struct {
	pc     int      // the line after the one running
	args   []string // %0 %1 ...
	locals int      // len(saved) when it started: its SETLOCALs end with it
}

func newBatInterp(h *Host) *batInterp {
	in := &batInterp{
		h:       h,
		vars:    map[string]batVar{},
		files:   map[string]string{},
		echo:    true,
		steps:   new(int),
		forVars: map[byte]string{},
		batch:   true,
	}
	// The environment of a script run by SYSTEM (SetupComplete.cmd,
	// cloudbase-init). PATH is set so that a stray %PATH% shows.
	for _, kv := range [][2]string{
		{"ComSpec", `C:\Windows\system32\cmd.exe`},
		{"PATH", `C:\Windows\system32;C:\Windows;C:\Windows\System32\Wbem`},
		{"PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"},
		{"SystemRoot", `C:\Windows`},
		{"windir", `C:\Windows`},
		{"TEMP", `C:\Windows\TEMP`},
		{"TMP", `C:\Windows\TEMP`},
		{"USERNAME", "SYSTEM"},
	} {
		in.setVar(kv[0], kv[1])
	}
	return in
}

// ---- control flow --------------------------------------------------------

// batGoto is a GOTO on its way to the batch context that runs it: it ends
// every command, block and FOR loop it passes through.
type batGoto struct{ label string }

func (g *batGoto) Error() string { return "goto " + g.label + " outside a batch file" }

// batExit is EXIT: with /b it ends the batch context (a CALLed label
// returns), without it the whole process.
type batExit struct {
	code int
	all  bool
}

func (e *batExit) Error() string { return fmt.Sprintf("exit %d", e.code) }

func (in *batInterp) run(script []byte) (int, error) {
	// Phase 0 reads a line through LF; phase 1.5 removes every CR.
	in.lines = strings.Split(strings.ReplaceAll(string(script), "\r", ""), "\n")
	code, err := in.runFrame(0, []string{batScriptPath}, in.stdio())
	var ex *batExit
	if errors.As(err, &ex) {
		return ex.code, nil
	}
	return code, err
}

func (in *batInterp) stdio() *batIO {
	return &batIO{fd: [10]io.Writer{1: &in.h.Out, 2: &in.h.Out}}
}

func (in *batInterp) step() error {
	*in.steps++
	if *in.steps > batMaxSteps {
		return fmt.Errorf("more than %d steps: an endless loop?", batMaxSteps)
	}
	return nil
}

// runFrame runs a batch context from line pc until EXIT /B, GOTO :EOF or
// the end of the file, and gives its exit code.
func (in *batInterp) runFrame(pc int, args []string, stdio *batIO) (int, error) {
	caller := in.frame
	f := &batFrame{pc: pc, args: args, locals: len(in.saved)}
	in.frame = f
	defer func() {
		// The SETLOCALs of a batch context end with it.
		if len(in.saved) > f.locals {
			in.vars = in.saved[f.locals]
			in.saved = in.saved[:f.locals]
		}
		in.frame = caller
	}()
	for f.pc < len(in.lines) {
		node, err := in.readLine(stdio)
		if err != nil {
			return 0, err
		}
		if node == nil {
			continue
		}
		if err := in.step(); err != nil {
			return 0, err
		}
		_, err = in.exec(node, stdio)
		var g *batGoto
		var ex *batExit
		switch {
		case err == nil:
		case errors.As(err, &g):
			if strings.EqualFold(g.label, "eof") {
				return in.errorlevel, nil
			}
			pc, err := in.findLabel(g.label)
			if err != nil {
				return 0, err
			}
			f.pc = pc
		case errors.As(err, &ex) && !ex.all:
			return ex.code, nil
		default:
			return 0, err
		}
	}
	return in.errorlevel, nil
}

// readLine reads the next logical line of the running batch context and
// builds its command tree: a line, the lines a ^ at the end joins, or
// the lines of a parenthesised block, each percent-expanded as it is read
// (phase 1), all before any of it runs. A label or an empty line gives nil.
func (in *batInterp) readLine(stdio *batIO) (batNode, error) {
	f := in.frame
	raw := in.lines[f.pc]
	f.pc++
	lead := strings.TrimLeft(raw, " \t")
	if lead == "" || strings.HasPrefix(lead, ":") {
		return nil, nil // a label (or a :: comment)
	}
	cells, err := in.lexLines(raw)
	if err != nil {
		return nil, fmt.Errorf("line %d: %w", f.pc, err)
	}
	for {
		p := &batParser{s: cells}
		seq, err := p.parseSeq(false, nil)
		if errors.Is(err, errBatIncomplete) {
			if f.pc >= len(in.lines) {
				return nil, fmt.Errorf("line %d: unbalanced parentheses: ( without )", f.pc)
			}
			raw := in.lines[f.pc]
			f.pc++
			more, err := in.lexLines(raw)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", f.pc, err)
			}
			cells = append(append(cells, batChar{'\n', true}), more...)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w: %q", f.pc, err, raw)
		}
		if p.pos < len(p.s) {
			return nil, fmt.Errorf("line %d: %q unexpected: %q", f.pc, p.s[p.pos].c, raw)
		}
		// Phase 3: with ECHO ON a line not starting with @ is shown after
		// the prompt (cmd shows it rebuilt from the tree; here as read).
		if in.echo && !strings.HasPrefix(lead, "@") {
			stdio.write(1, "\r\nC:\\Windows\\system32>"+batText(cells)+"\r\n")
		}
		return seq, nil
	}
}

// findLabel finds :label as GOTO and CALL do: from the line after the
// running one to the end of the file, then from the start.
func (in *batInterp) findLabel(label string) (int, error) {
	if in.frame == nil {
		return 0, fmt.Errorf("goto/call :%s outside a batch file", label)
	}
	n := len(in.lines)
	for k := range n {
		i := (in.frame.pc + k) % n
		l := strings.TrimLeft(in.lines[i], " \t")
		if name, ok := strings.CutPrefix(l, ":"); ok {
			if end := strings.IndexAny(name, " \t,;=+:&<>|"); end >= 0 {
				name = name[:end]
			}
			if strings.EqualFold(name, label) {
				return i + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("the system cannot find the batch label specified - %s", label)
}

// ---- variables -----------------------------------------------------------

func (in *batInterp) setVar(name, value string) {
	if value == "" {
		delete(in.vars, strings.ToUpper(name))
		return
	}
	in.vars[strings.ToUpper(name)] = batVar{name, value}
}

// lookup gives a variable, or a dynamic one (ERRORLEVEL, RANDOM, CD...)
// that is not set in the environment.
func (in *batInterp) lookup(name string) (string, bool) {
	if v, ok := in.vars[strings.ToUpper(name)]; ok {
		return v.value, true
	}
	switch strings.ToUpper(name) {
	case "ERRORLEVEL":
		return strconv.Itoa(in.errorlevel), true
	case "RANDOM":
		return "12345", true
	case "CD":
		return `C:\Windows\system32`, true
	case "CMDEXTVERSION":
		return "2", true
	case "DATE":
		return "Mon 01/02/2006", true
	case "TIME":
		return "15:04:05.00", true
	}
	return in.placeholder, in.placeholder != ""
}

func (in *batInterp) arg(k int) string {
	if in.frame == nil || k >= len(in.frame.args) {
		return ""
	}
	return in.frame.args[k]
}

// percent is phase 1. In a batch file %% is %, %0-%9 and %* are the
// arguments, an undefined %VAR% is removed, and so is a % without a
// partner. In command-line mode (cmd /c) an undefined variable and a
// lone % stay as they are.
func (in *batInterp) percent(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c != '%' {
			b.WriteByte(c)
			i++
			continue
		}
		text, next, ok, err := in.percentArg(s, i)
		if err != nil {
			return "", err
		}
		if !ok {
			text, next, err = in.percentVar(s, i)
			if err != nil {
				return "", err
			}
		}
		b.WriteString(text)
		i = next
	}
	return b.String(), nil
}

// percentArg expands the batch-file forms starting at the % at s[i]:
// %%, %0-%9, %* and %~N. It returns the text, the index after the form
// and whether s[i:] was one of them.
func (in *batInterp) percentArg(s string, i int) (text string, next int, ok bool, err error) {
	if !in.batch || i+1 >= len(s) {
		return "", i, false, nil
	}
	switch d := s[i+1]; {
	case d == '%':
		return "%", i + 2, true, nil
	case d >= '0' && d <= '9':
		return in.arg(int(d - '0')), i + 2, true, nil
	case d == '*':
		if in.frame != nil && len(in.frame.args) > 1 {
			text = strings.Join(in.frame.args[1:], " ")
		}
		return text, i + 2, true, nil
	case d == '~':
		// %~[fdpnxsatz]*N: a fatal error when malformed, which
		// ends the script (even on a REM line).
		j := i + 2
		for j < len(s) && strings.IndexByte("fdpnxsatz", s[j]) >= 0 {
			j++
		}
		if j >= len(s) || s[j] < '0' || s[j] > '9' {
			return "", i, false, fmt.Errorf("the following usage of the path operator in batch-parameter substitution is invalid: %s", s[i:])
		}
		if j > i+2 {
			return "", i, false, fmt.Errorf("%s: path modifiers are not modelled", s[i:j+1])
		}
		return batDequote(in.arg(int(s[j] - '0'))), j + 1, true, nil
	}
	return "", i, false, nil
}

// percentVar expands %NAME% or %NAME:modifier% starting at the % at
// s[i], and returns the text and the index after what it consumed.
func (in *batInterp) percentVar(s string, i int) (string, int, error) {
	lone := "" // a lone %: removed in a batch file
	if !in.batch {
		lone = "%"
	}
	// The name ends at the next % or :.
	j := i + 1
	for j < len(s) && s[j] != '%' && s[j] != ':' {
		j++
	}
	if j >= len(s) {
		return lone, i + 1, nil
	}
	name := s[i+1 : j]
	val, ok := in.lookup(name)
	if s[j] == '%' {
		switch {
		case ok:
			return val, j + 1, nil
		case !in.batch:
			return s[i : j+1], j + 1, nil
		}
		return "", j + 1, nil
	}
	// s[j] == ':'. The classic trap: with NAME undefined, a batch file
	// removes "%NAME:" and goes on after it.
	if !ok {
		if in.batch {
			return "", j + 1, nil
		}
		return "%", i + 1, nil
	}
	k := strings.IndexByte(s[j+1:], '%')
	if k < 0 {
		return lone, i + 1, nil
	}
	out, err := batModify(val, s[j+1:j+1+k])
	if err != nil {
		return "", i, fmt.Errorf("%%%s%%: %w", s[i+1:j+1+k], err)
	}
	return out, j + 1 + k + 1, nil
}

// batModify applies a variable's modifier: ~start[,length] (a negative
// start counts from the end, a negative length stops that many before
// it) or [*]search=replace (search without case; * replaces everything
// up to and including the first match).
func batModify(val, mod string) (string, error) {
	if sub, ok := strings.CutPrefix(mod, "~"); ok {
		startS, lenS, hasLen := strings.Cut(sub, ",")
		start, err := batAtoi(strings.TrimSpace(startS))
		if err != nil {
			return "", err
		}
		n := len(val)
		if start < 0 {
			start = max(start+n, 0)
		}
		start = min(start, n)
		if !hasLen {
			return val[start:], nil
		}
		l, err := batAtoi(strings.TrimSpace(lenS))
		if err != nil {
			return "", err
		}
		end := start + l
		if l < 0 {
			end = n + l
		}
		end = min(end, n)
		if end <= start {
			return "", nil
		}
		return val[start:end], nil
	}
	search, repl, ok := strings.Cut(mod, "=")
	if !ok {
		return "", fmt.Errorf("a modifier that is neither ~ nor search=replace")
	}
	star := false
	if s, ok := strings.CutPrefix(search, "*"); ok {
		search, star = s, true
	}
	if search == "" {
		return val, nil
	}
	lower, ls := strings.ToLower(val), strings.ToLower(search)
	if star {
		k := strings.Index(lower, ls)
		if k < 0 {
			return val, nil
		}
		return repl + val[k+len(search):], nil
	}
	var b strings.Builder
	for {
		k := strings.Index(lower, ls)
		if k < 0 {
			b.WriteString(val)
			return b.String(), nil
		}
		b.WriteString(val[:k] + repl)
		val, lower = val[k+len(search):], lower[k+len(search):]
	}
}

// forSubst is phase 4: %A and %~A of the FOR variables that are set, in
// the commands under DO, in one pass (a value is not scanned again). A %
// before anything else stays.
func (in *batInterp) forSubst(s string) (string, error) {
	if in.forDepth == 0 || !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] != '~' {
			if v, ok := in.forVars[s[i+1]]; ok {
				b.WriteString(v)
				i++
				continue
			}
		} else if k, ok := in.forTilde(s, i); ok {
			if k > i+2 {
				return "", fmt.Errorf("%s: path modifiers are not modelled", s[i:k+1])
			}
			b.WriteString(batDequote(in.forVars[s[k]]))
			i = k
			continue
		}
		b.WriteByte('%')
	}
	return b.String(), nil
}

// forTilde finds the variable of %~[modifiers]X at s[i]: after the
// longest run of modifier letters that a variable that is set follows.
func (in *batInterp) forTilde(s string, i int) (int, bool) {
	j := i + 2
	for j < len(s) && strings.IndexByte("fdpnxsatz", s[j]) >= 0 {
		j++
	}
	for k := min(j, len(s)-1); k >= i+2; k-- {
		if _, ok := in.forVars[s[k]]; ok {
			return k, true
		}
	}
	return 0, false
}

// batDequote removes a leading quote and then a trailing one (%~1, %~A).
func batDequote(s string) string {
	if t, ok := strings.CutPrefix(s, `"`); ok {
		return strings.TrimSuffix(t, `"`)
	}
	return s
}

// batAtoi reads a number as cmd does (SET /A, IF EQU, FOR /L, EXIT /B):
// decimal, 0x hexadecimal or 0 octal, with a sign; 32 bits.
func batAtoi(s string) (int, error) {
	t := s
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	base := 10
	switch {
	case len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X"):
		base, t = 16, t[2:]
	case len(t) > 1 && t[0] == '0':
		base, t = 8, t[1:]
	}
	if t == "" || strings.ContainsAny(t, "_+-") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	n, err := strconv.ParseInt(t, base, 64)
	if err != nil || n > 1<<31 || !neg && n > 1<<31-1 {
		return 0, fmt.Errorf("%q is not a 32-bit number", s)
	}
	if neg {
		n = -n
	}
	return int(n), nil
}

// ---- phase 2: characters and the command tree ----------------------------

// batChar is a character of a line after phase 1. bare: outside double
// quotes and not escaped with ^, so that it can be special. A quote that
// opens or closes is bare; one escaped with ^ is not, and opens nothing.
type batChar struct {
	c    byte
	bare bool
}

func batText(cs []batChar) string {
	b := make([]byte, len(cs))
	for i, c := range cs {
		b[i] = c.c
	}
	return string(b)
}

// lexLines expands a line (phase 1) and marks its characters (phase 2).
func (in *batInterp) lexLines(raw string) ([]batChar, error) {
	line, err := in.percent(raw)
	if err != nil {
		return nil, err
	}
	return in.lex(line)
}

// lex marks the characters of an expanded line: a ^ escapes the next
// character and goes; a ^ at the end of the line (out of quotes) joins
// the next line of the script, expanded in turn, whose first character
// it escapes.
func (in *batInterp) lex(line string) ([]batChar, error) {
	var cells []batChar
	quoted, escaped := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case escaped:
			cells = append(cells, batChar{c, false})
			escaped = false
		case quoted:
			cells = append(cells, batChar{c, c == '"'})
			quoted = c != '"'
		case c == '"':
			cells = append(cells, batChar{c, true})
			quoted = true
		case c == '^' && i+1 < len(line):
			cells = append(cells, batChar{line[i+1], false})
			i++
		case c == '^':
			if in.frame == nil || in.frame.pc >= len(in.lines) {
				break // at the end of the input the ^ goes
			}
			next, err := in.percent(in.lines[in.frame.pc])
			in.frame.pc++
			if err != nil {
				return nil, err
			}
			line, i, escaped = next, -1, next != ""
		default:
			cells = append(cells, batChar{c, true})
		}
	}
	if quoted && !batIsRem(cells) {
		// cmd takes the rest of the line as quoted; in a generated
		// script that is a mistake, so the model refuses it.
		return nil, fmt.Errorf("unbalanced quotes: %q", line)
	}
	return cells, nil
}

// batIsRem: the line is a REM, where quotes do not matter.
func batIsRem(cells []batChar) bool {
	p := &batParser{s: cells}
	p.skipDelims("=@")
	return p.keyword("rem")
}

// The command tree.
type batNode any

type (
	// batSeq runs its commands one after the other: a & b, or the
	// lines of a block.
	batSeq []batNode
	// batChain is a && b || c: left to right, each operator looking at
	// the result so far.
	batChain struct {
		first batNode
		ops   []string
		rest  []batNode
	}
	batBlock struct {
		body   batSeq
		redirs []batRedir
	}
	batSimple struct {
		text   string // the command and its arguments, quotes kept
		redirs []batRedir
	}
	batIf struct {
		ci, not     bool
		kind        string // "==", EQU..., "defined", "exist", "errorlevel", "cmdextversion"
		left, right string
		then, els   batNode
	}
	batFor struct {
		mode string // "", "/f", "/l"
		opts string
		v    byte
		set  string
		body batNode
	}
	batRem struct{}
)

// batRedir is n>target, n>>target, n<target or n>&m.
type batRedir struct {
	fd     int
	op     string // ">", ">>", "<", ">&"
	target string
	dup    int
}

var errBatIncomplete = errors.New("( without )")

type batParser struct {
	s     []batChar
	pos   int
	depth int // open parentheses
}

func (p *batParser) eof() bool { return p.pos >= len(p.s) }

// is: the character at i is c, bare.
func (p *batParser) is(i int, c byte) bool {
	return i < len(p.s) && p.s[i].bare && p.s[i].c == c
}

func (p *batParser) skipSpace() {
	for p.pos < len(p.s) && p.s[p.pos].bare && (p.s[p.pos].c == ' ' || p.s[p.pos].c == '\t') {
		p.pos++
	}
}

// skipDelims skips cmd's token delimiters: space, tab, comma, semicolon
// and, where extra says so, = and @.
func (p *batParser) skipDelims(extra string) {
	for p.pos < len(p.s) && p.s[p.pos].bare && strings.IndexByte(" \t,;"+extra, p.s[p.pos].c) >= 0 {
		p.pos++
	}
}

// atEnd: the end of the command list being parsed: the end of the line, a
// newline in a block when stopNL, or the ) that closes the block.
func (p *batParser) atEnd(stopNL bool) bool {
	return p.eof() || stopNL && p.is(p.pos, '\n') || p.depth > 0 && p.is(p.pos, ')')
}

// word gives the word at pos: up to a bare delimiter or special character.
func (p *batParser) word() string {
	var b []byte
	for i := p.pos; i < len(p.s); i++ {
		c := p.s[i]
		if c.bare && strings.IndexByte(" \t,;=()&|<>\"\n", c.c) >= 0 {
			break
		}
		b = append(b, c.c)
	}
	return string(b)
}

// keyword: the word at pos is kw (without case), followed by a delimiter.
func (p *batParser) keyword(kw string) bool {
	w := p.word()
	if !strings.EqualFold(w, kw) {
		return false
	}
	i := p.pos + len(w)
	return i >= len(p.s) || p.s[i].bare && strings.IndexByte(" \t,;=(\n", p.s[i].c) >= 0
}

// parseSeq parses commands joined by & (and, in a block, newlines) up to
// the end of the line, the ) of the block, or with stopNL a newline: the
// body of IF and FOR, which is the rest of the line. first, when set, is
// its first command, already parsed.
func (p *batParser) parseSeq(stopNL bool, first batNode) (batSeq, error) {
	var seq batSeq
	for {
		if first == nil {
			p.skipSpace()
			for !stopNL && p.is(p.pos, '\n') {
				p.pos++
				p.skipSpace()
			}
			if p.atEnd(stopNL) {
				if p.eof() && p.depth > 0 {
					return nil, errBatIncomplete
				}
				return seq, nil
			}
		}
		n, err := p.parseChain(stopNL, first)
		if err != nil {
			return nil, err
		}
		first = nil
		seq = append(seq, n)
		p.skipSpace()
		switch {
		case p.is(p.pos, '&'):
			p.pos++
		case p.atEnd(stopNL), p.is(p.pos, '\n'):
		default:
			return nil, fmt.Errorf("%q was unexpected at this time", p.s[p.pos].c)
		}
	}
}

// parseChain parses a && b || c: they bind tighter than &.
func (p *batParser) parseChain(stopNL bool, first batNode) (batNode, error) {
	if first == nil {
		var err error
		if first, err = p.parseCommand(stopNL); err != nil {
			return nil, err
		}
	}
	ch := &batChain{first: first}
	for {
		p.skipSpace()
		var op string
		switch {
		case p.is(p.pos, '&') && p.is(p.pos+1, '&'):
			op = "&&"
		case p.is(p.pos, '|') && p.is(p.pos+1, '|'):
			op = "||"
		case p.is(p.pos, '|'):
			return nil, errors.New("pipes are not modelled")
		}
		if op == "" {
			break
		}
		p.pos += 2
		p.skipSpace()
		n, err := p.parseCommand(stopNL)
		if err != nil {
			return nil, err
		}
		ch.ops = append(ch.ops, op)
		ch.rest = append(ch.rest, n)
	}
	if len(ch.ops) == 0 {
		return first, nil
	}
	return ch, nil
}

// parseCommand parses one command: a block, IF, FOR, REM or a simple
// command with its redirections.
func (p *batParser) parseCommand(stopNL bool) (batNode, error) {
	p.skipDelims("=@")
	if p.eof() {
		if p.depth > 0 {
			return nil, errBatIncomplete
		}
		return nil, errors.New("a command is missing")
	}
	switch {
	case p.is(p.pos, '('):
		p.pos++
		p.depth++
		body, err := p.parseSeq(false, nil)
		if err != nil {
			return nil, err
		}
		if !p.is(p.pos, ')') {
			return nil, errBatIncomplete
		}
		p.pos++
		p.depth--
		var redirs []batRedir
		for {
			p.skipSpace()
			fd := -1
			if p.pos+1 < len(p.s) && p.s[p.pos].bare && p.s[p.pos].c >= '0' && p.s[p.pos].c <= '9' && (p.is(p.pos+1, '>') || p.is(p.pos+1, '<')) {
				fd = int(p.s[p.pos].c - '0')
				p.pos++
			}
			if !p.is(p.pos, '>') && !p.is(p.pos, '<') {
				break
			}
			r, err := p.parseRedir(fd)
			if err != nil {
				return nil, err
			}
			redirs = append(redirs, r)
		}
		return &batBlock{body: body, redirs: redirs}, nil
	case p.is(p.pos, ')'):
		return nil, errors.New(") without (")
	case p.is(p.pos, ':'):
		// A label in a block: a comment.
		for !p.eof() && !p.is(p.pos, '\n') {
			p.pos++
		}
		return batRem{}, nil
	case p.keyword("rem"):
		// REM takes the rest of the line, & and | included.
		for !p.eof() && !p.is(p.pos, '\n') {
			p.pos++
		}
		return batRem{}, nil
	case p.keyword("if"):
		p.pos += 2
		return p.parseIf(stopNL)
	case p.keyword("for"):
		p.pos += 3
		return p.parseFor()
	}
	return p.parseSimple()
}

// parseSimple parses a command up to &, |, a newline or the ) of the
// block, taking its redirections out wherever they are.
func (p *batParser) parseSimple() (batNode, error) {
	var text []byte
	var redirs []batRedir
	lastBare := false
	for !p.eof() {
		c := p.s[p.pos]
		if c.bare {
			switch c.c {
			case '&', '|', '\n':
				return &batSimple{string(text), redirs}, nil
			case ')':
				if p.depth > 0 {
					return &batSimple{string(text), redirs}, nil
				}
			case '<', '>':
				// A digit just before, itself after a delimiter, is the
				// handle: 2>nul.
				fd := -1
				if n := len(text); n > 0 && lastBare && text[n-1] >= '0' && text[n-1] <= '9' && (n == 1 || strings.IndexByte(" \t,;=", text[n-2]) >= 0) {
					fd = int(text[n-1] - '0')
					text = text[:n-1]
				}
				r, err := p.parseRedir(fd)
				if err != nil {
					return nil, err
				}
				redirs = append(redirs, r)
				lastBare = false
				continue
			}
		}
		text = append(text, c.c)
		lastBare = c.bare
		p.pos++
	}
	return &batSimple{string(text), redirs}, nil
}

// parseRedir parses a redirection at pos (> >> < >&n) and its target.
func (p *batParser) parseRedir(fd int) (batRedir, error) {
	r := batRedir{fd: fd, op: string(p.s[p.pos].c)}
	p.pos++
	if r.op == ">" && p.is(p.pos, '>') {
		r.op = ">>"
		p.pos++
	}
	if r.fd < 0 {
		r.fd = 1
		if r.op == "<" {
			r.fd = 0
		}
	}
	if p.is(p.pos, '&') {
		p.pos++
		p.skipSpace()
		if p.eof() || p.s[p.pos].c < '0' || p.s[p.pos].c > '9' {
			return r, errors.New("a redirection to & without a handle")
		}
		if r.op != ">" {
			return r, fmt.Errorf("%s& is not modelled", r.op)
		}
		r.op, r.dup = ">&", int(p.s[p.pos].c-'0')
		p.pos++
		return r, nil
	}
	p.skipSpace()
	t := p.until(" \t&|<>\n")
	if t == "" {
		return r, errors.New("the syntax of the command is incorrect: a redirection without a target")
	}
	r.target = t
	return r, nil
}

// until reads up to a bare character of delims or a bare ) that closes a
// block; quoted parts are kept whole, quotes kept.
func (p *batParser) until(delims string) string {
	var b []byte
	for !p.eof() {
		c := p.s[p.pos]
		if c.bare && (strings.IndexByte(delims, c.c) >= 0 || c.c == ')' && p.depth > 0) {
			break
		}
		b = append(b, c.c)
		p.pos++
	}
	return string(b)
}

// ifToken reads an operand of IF: up to a bare delimiter (= included),
// quoted parts kept whole, quotes kept.
func (p *batParser) ifToken() (string, error) {
	w := p.until(" \t,;=&|<>\n")
	if w == "" {
		return "", errors.New("the syntax of the command is incorrect: IF without an operand")
	}
	return w, nil
}

// parseIf parses IF [/I] [NOT] condition command [ELSE command]; the
// command is the rest of the line (IF a==b x & y runs y only when a==b).
// ELSE follows only a parenthesised block.
func (p *batParser) parseIf(stopNL bool) (batNode, error) {
	n := &batIf{}
	p.skipDelims("")
	if p.keyword("/i") {
		n.ci = true
		p.pos += 2
		p.skipDelims("")
	}
	if p.keyword("not") {
		n.not = true
		p.pos += 3
		p.skipDelims("")
	}
	var err error
	for _, kw := range []string{"defined", "exist", "errorlevel", "cmdextversion"} {
		if p.keyword(kw) {
			n.kind = kw
			p.pos += len(kw)
			p.skipDelims("=")
			n.left, err = p.ifToken()
			break
		}
	}
	if n.kind == "" {
		if n.left, err = p.ifToken(); err != nil {
			return nil, err
		}
		p.skipDelims("")
		if p.is(p.pos, '=') && p.is(p.pos+1, '=') {
			n.kind = "=="
			p.pos += 2
		} else {
			w := strings.ToUpper(p.word())
			if !slices.Contains([]string{"EQU", "NEQ", "LSS", "LEQ", "GTR", "GEQ"}, w) {
				return nil, fmt.Errorf("IF: %q was unexpected at this time", w)
			}
			n.kind = w
			p.pos += len(w)
		}
		p.skipDelims("=")
		n.right, err = p.ifToken()
	}
	if err != nil {
		return nil, err
	}
	p.skipDelims("")
	if p.atEnd(true) {
		return nil, errors.New("the syntax of the command is incorrect: IF without a command")
	}
	first, err := p.parseCommand(true)
	if err != nil {
		return nil, err
	}
	if _, ok := first.(*batBlock); ok {
		p.skipSpace()
		if p.keyword("else") {
			p.pos += 4
			n.then = first
			if n.els, err = p.parseSeq(true, nil); err != nil {
				return nil, err
			}
			return n, nil
		}
	}
	if n.then, err = p.parseSeq(true, first); err != nil {
		return nil, err
	}
	return n, nil
}

// parseFor parses FOR [/F ["options"] | /L] %X IN (set) DO command; the
// command is the rest of the line.
func (p *batParser) parseFor() (batNode, error) {
	n := &batFor{}
	p.skipDelims("")
	if w := strings.ToLower(p.word()); strings.HasPrefix(w, "/") {
		if w != "/f" && w != "/l" {
			return nil, fmt.Errorf("FOR %s is not modelled", w)
		}
		n.mode = w
		p.pos += len(w)
		p.skipDelims("")
	}
	if n.mode == "/f" && p.is(p.pos, '"') {
		p.pos++
		var b []byte
		for !p.eof() && !p.is(p.pos, '"') {
			b = append(b, p.s[p.pos].c)
			p.pos++
		}
		if p.eof() {
			return nil, errors.New("FOR /F: the options have no closing quote")
		}
		p.pos++
		n.opts = string(b)
		p.skipDelims("")
	}
	if !p.is(p.pos, '%') || p.pos+1 >= len(p.s) {
		return nil, errors.New("FOR: the variable is missing")
	}
	n.v = p.s[p.pos+1].c
	p.pos += 2
	p.skipDelims("")
	if !p.keyword("in") {
		return nil, errors.New("FOR: IN is missing")
	}
	p.pos += 2
	p.skipDelims("")
	if !p.is(p.pos, '(') {
		return nil, errors.New("FOR: ( is missing")
	}
	p.pos++
	var set []byte
	for !p.is(p.pos, ')') {
		if p.eof() {
			return nil, errBatIncomplete
		}
		c := p.s[p.pos]
		if c.bare && strings.IndexByte("&|<>", c.c) >= 0 {
			return nil, fmt.Errorf("FOR: %q was unexpected at this time", c.c)
		}
		set = append(set, c.c)
		p.pos++
	}
	p.pos++
	n.set = string(set)
	p.skipDelims("")
	if !p.keyword("do") {
		return nil, errors.New("FOR: DO is missing")
	}
	p.pos += 2
	p.skipDelims("")
	if p.atEnd(true) {
		return nil, errors.New("FOR: the command after DO is missing")
	}
	body, err := p.parseSeq(true, nil)
	if err != nil {
		return nil, err
	}
	n.body = body
	return n, nil
}

// ---- running the tree ----------------------------------------------------

// batIO is where a command reads and writes: handles 0-9 (1 stdout, 2
// stderr); stdin is a file redirected with <.
type batIO struct {
	fd    [10]io.Writer
	stdin *string
}

func (o *batIO) write(fd int, s string) {
	if o.fd[fd] != nil {
		io.WriteString(o.fd[fd], s)
	}
}

// batFile writes to a file of the model's file system.
type batFile struct {
	in  *batInterp
	key string
}

func (f batFile) Write(b []byte) (int, error) {
	f.in.files[f.key] += string(b)
	return len(b), nil
}

func batFileKey(path string) string { return strings.ToLower(strings.Trim(path, `"`)) }

func batIsNul(key string) bool {
	return key == "nul" || key == "nul:" || strings.HasSuffix(key, `\nul`)
}

// redirect applies redirections left to right: >nul 2>&1 sends both to
// nul, 2>&1 >nul only stdout. ok is false when a file to read is missing.
func (in *batInterp) redirect(rs []batRedir, o *batIO) (*batIO, bool, error) {
	if len(rs) == 0 {
		return o, true, nil
	}
	out := *o
	for _, r := range rs {
		if r.op == ">&" {
			if out.fd[r.dup] == nil {
				return nil, false, fmt.Errorf("the handle could not be duplicated during redirection of handle %d", r.fd)
			}
			out.fd[r.fd] = out.fd[r.dup]
			continue
		}
		target, err := in.forSubst(r.target)
		if err != nil {
			return nil, false, err
		}
		key := batFileKey(target)
		switch {
		case r.op == "<":
			if batIsNul(key) {
				empty := ""
				out.stdin = &empty
				continue
			}
			data, ok := in.files[key]
			if !ok {
				o.write(2, "The system cannot find the file specified.\r\n")
				return nil, false, nil
			}
			out.stdin = &data
		case batIsNul(key):
			out.fd[r.fd] = io.Discard
		case key == "con":
			out.fd[r.fd] = &in.h.Out
		default:
			if _, ok := in.files[key]; !ok || r.op == ">" {
				in.files[key] = ""
			}
			out.fd[r.fd] = batFile{in, key}
		}
	}
	return &out, true, nil
}

// exec runs a node and gives its result for && and || (0: success).
func (in *batInterp) exec(n batNode, o *batIO) (int, error) {
	switch n := n.(type) {
	case batSeq:
		rc := 0
		for _, c := range n {
			var err error
			if rc, err = in.exec(c, o); err != nil {
				return rc, err
			}
		}
		return rc, nil
	case *batChain:
		rc, err := in.exec(n.first, o)
		for k, op := range n.ops {
			if err != nil {
				return rc, err
			}
			if op == "&&" && rc == 0 || op == "||" && rc != 0 {
				rc, err = in.exec(n.rest[k], o)
			}
		}
		return rc, err
	case *batBlock:
		o2, ok, err := in.redirect(n.redirs, o)
		if !ok {
			return 1, err
		}
		return in.exec(n.body, o2)
	case *batSimple:
		if err := in.step(); err != nil {
			return 0, err
		}
		text, err := in.forSubst(n.text)
		if err != nil {
			return 0, err
		}
		o2, ok, err := in.redirect(n.redirs, o)
		if !ok {
			return 1, err
		}
		return in.command(text, o2)
	case *batIf:
		yes, err := in.cond(n)
		if err != nil {
			return 0, err
		}
		switch {
		case yes:
			return in.exec(n.then, o)
		case n.els != nil:
			return in.exec(n.els, o)
		}
		return 0, nil
	case *batFor:
		return in.runFor(n, o)
	case batRem:
		return 0, nil
	}
	return 0, fmt.Errorf("unknown node %T", n)
}

// cond evaluates the condition of an IF (its operands after phase 4).
func (in *batInterp) cond(n *batIf) (bool, error) {
	left, err := in.forSubst(n.left)
	if err != nil {
		return false, err
	}
	right, err := in.forSubst(n.right)
	if err != nil {
		return false, err
	}
	var yes bool
	switch n.kind {
	case "defined":
		_, yes = in.vars[strings.ToUpper(left)]
	case "exist":
		key := batFileKey(left)
		_, yes = in.files[key]
		yes = yes || batIsNul(key)
	case "errorlevel", "cmdextversion":
		k, err := batAtoi(left)
		if err != nil {
			return false, err
		}
		have := in.errorlevel
		if n.kind == "cmdextversion" {
			have = 2
		}
		yes = have >= k
	case "==":
		yes = left == right || n.ci && strings.EqualFold(left, right)
	default:
		// EQU...: numbers when both are, else strings.
		c := 0
		a, errA := batAtoi(left)
		b, errB := batAtoi(right)
		switch {
		case errA == nil && errB == nil:
			c = a - b
		case n.ci:
			c = strings.Compare(strings.ToLower(left), strings.ToLower(right))
		default:
			c = strings.Compare(left, right)
		}
		switch n.kind {
		case "EQU":
			yes = c == 0
		case "NEQ":
			yes = c != 0
		case "LSS":
			yes = c < 0
		case "LEQ":
			yes = c <= 0
		case "GTR":
			yes = c > 0
		case "GEQ":
			yes = c >= 0
		}
	}
	return yes != n.not, nil
}

// runFor runs a FOR: /L counts, /F reads lines of a command's output, a
// string or a file, and the plain form takes the words of its set.
func (in *batInterp) runFor(n *batFor, o *batIO) (int, error) {
	set, err := in.forSubst(n.set)
	if err != nil {
		return 0, err
	}
	rc := 0
	body := func(vals ...string) error {
		if err := in.step(); err != nil {
			return err
		}
		var err error
		rc, err = in.forIter(n, o, vals)
		return err
	}
	switch n.mode {
	case "/l":
		err = forCount(set, body)
	case "/f":
		err = in.forLines(n, set, o, body)
	default:
		err = forItems(set, body)
	}
	return rc, err
}

// forIter runs the body of FOR n once with its variables (n.v and the
// letters after it) set to vals, and restores them afterwards.
func (in *batInterp) forIter(n *batFor, o *batIO, vals []string) (int, error) {
	old := map[byte]*string{}
	for k, v := range vals {
		c := n.v + byte(k)
		if prev, ok := in.forVars[c]; ok {
			old[c] = &prev
		} else {
			old[c] = nil
		}
		in.forVars[c] = v
	}
	in.forDepth++
	defer func() {
		in.forDepth--
		for c, prev := range old {
			if prev == nil {
				delete(in.forVars, c)
			} else {
				in.forVars[c] = *prev
			}
		}
	}()
	return in.exec(n.body, o)
}

// forCount runs body for FOR /L's (start,step,end) set.
func forCount(set string, body func(...string) error) error {
	f := batSplit(set)
	var v [3]int
	var err error
	for k := range min(len(f), 3) {
		if v[k], err = batAtoi(f[k]); err != nil {
			return fmt.Errorf("FOR /L: %w", err)
		}
	}
	for i := v[0]; v[1] > 0 && i <= v[2] || v[1] < 0 && i >= v[2] || v[1] == 0; i += v[1] {
		if err := body(strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return nil
}

// forLines runs body for each line FOR /F reads, split into tokens by
// its options.
func (in *batInterp) forLines(n *batFor, set string, o *batIO, body func(...string) error) error {
	opt, err := batForOptions(n.opts)
	if err != nil {
		return err
	}
	text, err := in.forFInput(opt, set, o)
	if err != nil {
		return err
	}
	lines := strings.Split(text, "\n")
	for k, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if k < opt.skip || line == "" {
			continue
		}
		vals, ok := opt.split(line)
		if !ok {
			continue
		}
		if err := body(vals...); err != nil {
			return err
		}
	}
	return nil
}

// forItems runs body for each word of a plain FOR's set.
func forItems(set string, body func(...string) error) error {
	for _, item := range batSplit(set) {
		if strings.ContainsAny(item, "*?") {
			return fmt.Errorf("FOR: file wildcards (%s) are not modelled", item)
		}
		if err := body(item); err != nil {
			return err
		}
	}
	return nil
}

// batSplit splits at cmd's delimiters (space, tab, comma, semicolon,
// equals; a newline in a block), quoted parts kept whole with their quotes.
func batSplit(s string) []string {
	var out []string
	quoted, start := false, -1
	for i := 0; i <= len(s); i++ {
		sep := i == len(s)
		if !sep {
			if s[i] == '"' {
				quoted = !quoted
			}
			sep = !quoted && strings.IndexByte(" \t,;=\n", s[i]) >= 0
		}
		switch {
		case sep && start >= 0:
			out, start = append(out, s[start:i]), -1
		case !sep && start < 0:
			start = i
		}
	}
	return out
}

// batForOpts are the options of FOR /F.
type batForOpts struct {
	eol      byte // 0: none
	skip     int
	delims   string
	tokens   []int // the token numbers, sorted, without repeats
	nvars    int   // how many variables the tokens= items take
	star     bool  // the last variable takes the rest of the line
	usebackq bool
}

func batForOptions(s string) (batForOpts, error) {
	o := batForOpts{eol: ';', delims: " \t", tokens: []int{1}, nvars: 1}
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			i++
			continue
		}
		rest := s[i:]
		low := strings.ToLower(rest)
		switch {
		case strings.HasPrefix(low, "usebackq"):
			o.usebackq = true
			i += len("usebackq")
		case strings.HasPrefix(low, "eol="):
			o.eol = 0
			if len(rest) > 4 {
				o.eol = rest[4]
			}
			i += 5
		case strings.HasPrefix(low, "skip="):
			end := strings.IndexByte(rest, ' ')
			if end < 0 {
				end = len(rest)
			}
			n, err := batAtoi(rest[5:end])
			if err != nil {
				return o, fmt.Errorf("FOR /F skip: %w", err)
			}
			o.skip = n
			i += end
		case strings.HasPrefix(low, "delims="):
			// Up to a space that starts another option; at the end of
			// the options, trailing spaces are delimiters too.
			v := rest[7:]
			end := len(v)
			for k := 0; k < len(v); k++ {
				if v[k] == ' ' && strings.TrimLeft(v[k:], " ") != "" {
					end = k
					break
				}
			}
			o.delims = v[:end]
			i += 7 + end
		case strings.HasPrefix(low, "tokens="):
			end := strings.IndexByte(rest, ' ')
			if end < 0 {
				end = len(rest)
			}
			if err := o.parseTokens(rest[7:end]); err != nil {
				return o, err
			}
			i += end
		default:
			return o, fmt.Errorf("FOR /F: %q was unexpected at this time", rest)
		}
	}
	return o, nil
}

// parseTokens reads tokens=1,3,4 / 2-3 / 2,* / 2*: the token numbers go
// to consecutive variables in ascending order; every item counts its
// variables, set to empty when the line has no such token (1,1,1 takes
// three variables, the second and third empty).
func (o *batForOpts) parseTokens(spec string) error {
	set := map[int]bool{}
	o.nvars = 0
	for _, item := range strings.Split(spec, ",") {
		if item == "" {
			continue
		}
		if t, ok := strings.CutSuffix(item, "*"); ok {
			o.star = true
			o.nvars++
			item = t
			if item == "" {
				continue
			}
		}
		a, b, isRange := strings.Cut(item, "-")
		lo, err := strconv.Atoi(a)
		if err != nil || lo < 1 {
			return fmt.Errorf("FOR /F: tokens=%s is not valid", spec)
		}
		hi := lo
		if isRange {
			if hi, err = strconv.Atoi(b); err != nil || hi < lo {
				return fmt.Errorf("FOR /F: tokens=%s is not valid", spec)
			}
		}
		for t := lo; t <= hi; t++ {
			set[t] = true
		}
		o.nvars += hi - lo + 1
	}
	o.tokens = o.tokens[:0]
	for t := range set {
		o.tokens = append(o.tokens, t)
	}
	slices.Sort(o.tokens)
	return nil
}

// split cuts a line into the variables' values; ok is false when the line
// is skipped: its first character after the leading delimiters is the
// eol character, or it has none of the tokens asked for.
func (o *batForOpts) split(line string) ([]string, bool) {
	isDelim := func(c byte) bool { return strings.IndexByte(o.delims, c) >= 0 }
	i := 0
	for i < len(line) && isDelim(line[i]) {
		i++
	}
	if i < len(line) && o.eol != 0 && line[i] == o.eol {
		return nil, false
	}
	var toks []string
	rest := ""
	last := 0
	if len(o.tokens) > 0 {
		last = o.tokens[len(o.tokens)-1]
	}
	for i < len(line) && len(toks) < last {
		j := i
		for j < len(line) && !isDelim(line[j]) {
			j++
		}
		toks = append(toks, line[i:j])
		i = j
		for i < len(line) && isDelim(line[i]) {
			i++
		}
	}
	if len(toks) == last {
		rest = line[i:]
	}
	vals := make([]string, max(o.nvars, len(o.tokens)+batBtoi(o.star)))
	found := false
	for k, t := range o.tokens {
		if t <= len(toks) {
			vals[k] = toks[t-1]
			found = true
		}
	}
	if o.star {
		vals[len(o.tokens)] = rest
		found = found || rest != ""
	}
	return vals, found
}

func batBtoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// forFInput gives what FOR /F reads: the stdout of a command run by a
// child cmd /c, a string, or files.
func (in *batInterp) forFInput(opt batForOpts, set string, o *batIO) (string, error) {
	set = strings.Trim(set, " \t")
	cmdQ, strQ := byte('\''), byte('"')
	if opt.usebackq {
		cmdQ, strQ = '`', '\''
	}
	if len(set) >= 2 && set[0] == cmdQ && set[len(set)-1] == cmdQ {
		return in.capture(set[1:len(set)-1], o)
	}
	if len(set) >= 2 && set[0] == strQ && set[len(set)-1] == strQ {
		return set[1 : len(set)-1], nil
	}
	var b strings.Builder
	for _, name := range batSplit(set) {
		data, ok := in.files[batFileKey(name)]
		if !ok {
			o.write(2, "The system cannot find the file "+strings.Trim(name, `"`)+".\r\n")
			return b.String(), nil
		}
		b.WriteString(data)
		if !strings.HasSuffix(data, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String(), nil
}

// capture runs a command line as FOR /F does, in a child "cmd /c", and
// gives its stdout; its stderr is the FOR's. The child has a copy of the
// variables (its changes are lost) and expands them in command-line mode.
func (in *batInterp) capture(line string, o *batIO) (string, error) {
	// cmd /c removes the first and the last quote of a line that starts
	// with one (unless it is a quoted program name alone: not modelled).
	if t := strings.TrimLeft(line, " \t"); strings.HasPrefix(t, `"`) {
		if k := strings.LastIndexByte(t, '"'); k > 0 {
			line = t[1:k] + t[k+1:]
		}
	}
	child := &batInterp{
		h:          in.h,
		vars:       batCloneVars(in.vars),
		files:      in.files,
		steps:      in.steps,
		forVars:    map[byte]string{},
		errorlevel: in.errorlevel,
	}
	var out strings.Builder
	cio := &batIO{fd: [10]io.Writer{1: &out, 2: o.fd[2]}}
	cells, err := child.lexLines(line)
	if err != nil {
		return "", err
	}
	p := &batParser{s: cells}
	seq, err := p.parseSeq(false, nil)
	if err == nil && p.pos < len(p.s) {
		err = fmt.Errorf("%q unexpected", p.s[p.pos].c)
	}
	if err != nil {
		return "", fmt.Errorf("FOR /F command %q: %w", line, err)
	}
	_, err = child.exec(seq, cio)
	var ex *batExit
	if err != nil && !errors.As(err, &ex) {
		return "", fmt.Errorf("FOR /F command %q: %w", line, err)
	}
	return out.String(), nil
}

func batCloneVars(m map[string]batVar) map[string]batVar {
	c := make(map[string]batVar, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// ---- commands ------------------------------------------------------------

// batName splits a command into its name and the rest (which starts with
// the delimiter after the name): echo.text, call:label and goto:label
// included.
func batName(text string) (string, string) {
	if strings.HasPrefix(text, `"`) {
		if k := strings.IndexByte(text[1:], '"'); k >= 0 {
			return text[1 : k+1], text[k+2:]
		}
		return text[1:], ""
	}
	end := strings.IndexAny(text, " \t,;=(/\"+[]")
	if end < 0 {
		end = len(text)
	}
	name := text[:end]
	low := strings.ToLower(name)
	for _, p := range []string{"echo.", "echo:", "call:", "goto:"} {
		if strings.HasPrefix(low, p) {
			end = len(p) - 1
			if p == "echo." || p == "echo:" {
				return text[:end], text[end:]
			}
			return text[:end], " " + text[end:]
		}
	}
	return name, text[end:]
}

// command runs a simple command (phase 7) and gives its result for && and
// ||; ERRORLEVEL is set as cmd sets it.
func (in *batInterp) command(text string, o *batIO) (int, error) {
	text = strings.TrimLeft(text, " \t,;=@")
	if text == "" {
		return 0, nil // only redirections
	}
	name, rest := batName(text)
	switch strings.ToLower(name) {
	case "rem":
		return 0, nil
	case "echo":
		in.cmdEcho(rest, o)
		return 0, nil
	case "set":
		return in.cmdSet(rest, o)
	case "goto":
		return cmdGoto(rest)
	case "call":
		return in.cmdCall(rest, o)
	case "exit":
		return in.cmdExit(rest)
	case "setlocal":
		return in.cmdSetlocal(rest)
	case "endlocal":
		in.cmdEndlocal()
		return 0, nil
	case "del", "erase":
		return in.cmdDel(rest, o)
	case "type":
		return in.cmdType(rest, o)
	case "if", "for":
		return 1, fmt.Errorf("%s after a redirection or CALL is not modelled", name)
	}
	return in.program(name, rest, o)
}

// cmdGoto: GOTO [:]label jumps, by way of a *batGoto error.
func cmdGoto(rest string) (int, error) {
	label := strings.TrimLeft(rest, " \t,;=")
	label = strings.TrimPrefix(label, ":")
	if end := strings.IndexAny(label, " \t,;=+"); end >= 0 {
		label = label[:end]
	}
	if label == "" {
		return 1, errors.New("GOTO without a label")
	}
	return 0, &batGoto{label}
}

// cmdExit: EXIT [/B] [code] ends the process (with /B the batch
// context), by way of a *batExit error; the code defaults to ERRORLEVEL.
func (in *batInterp) cmdExit(rest string) (int, error) {
	f := strings.Fields(rest)
	all := true
	if len(f) > 0 && strings.EqualFold(f[0], "/b") {
		all, f = false, f[1:]
	}
	code := in.errorlevel
	if len(f) > 0 {
		code, _ = batAtoi(f[0])
	}
	in.errorlevel = code
	return code, &batExit{code, all}
}

// cmdSetlocal: SETLOCAL saves the variables; of its options only those
// that keep the modelled defaults are accepted.
func (in *batInterp) cmdSetlocal(rest string) (int, error) {
	for _, a := range strings.Fields(rest) {
		switch strings.ToLower(a) {
		case "enableextensions", "disabledelayedexpansion":
		default:
			return 1, fmt.Errorf("SETLOCAL %s is not modelled", a)
		}
	}
	in.saved = append(in.saved, batCloneVars(in.vars))
	in.errorlevel = 0
	return 0, nil
}

// cmdEndlocal: ENDLOCAL restores the variables saved by the current
// frame's last SETLOCAL, if it has one.
func (in *batInterp) cmdEndlocal() {
	base := 0
	if in.frame != nil {
		base = in.frame.locals
	}
	if len(in.saved) > base {
		in.vars = in.saved[len(in.saved)-1]
		in.saved = in.saved[:len(in.saved)-1]
	}
}

// cmdDel: DEL (ERASE) removes files; switches are ignored.
func (in *batInterp) cmdDel(rest string, o *batIO) (int, error) {
	for _, a := range batSplit(rest) {
		if strings.HasPrefix(a, "/") {
			continue
		}
		if strings.ContainsAny(a, "*?") {
			return 1, fmt.Errorf("DEL %s: wildcards are not modelled", a)
		}
		key := batFileKey(a)
		if _, ok := in.files[key]; ok {
			delete(in.files, key)
		} else {
			// ERRORLEVEL stays; cmd reports success (an assumption).
			o.write(2, "Could Not Find "+strings.Trim(a, `"`)+"\r\n")
		}
	}
	return 0, nil
}

// cmdType: TYPE prints files, and stops at the first missing one.
func (in *batInterp) cmdType(rest string, o *batIO) (int, error) {
	for _, a := range batSplit(rest) {
		data, ok := in.files[batFileKey(a)]
		if !ok {
			o.write(2, "The system cannot find the file specified.\r\n")
			in.errorlevel = 1
			return 1, nil
		}
		o.write(1, data)
	}
	return 0, nil
}

// program runs an external program (by its base name, .exe optional)
// and sets ERRORLEVEL to its exit code.
func (in *batInterp) program(name, rest string, o *batIO) (int, error) {
	prog := strings.ToLower(name)
	if k := strings.LastIndexAny(prog, `\/`); k >= 0 {
		prog = prog[k+1:]
	}
	prog = strings.TrimSuffix(prog, ".exe")
	args := batCRTArgs(rest)
	var out string
	code := 0
	switch prog {
	case "netsh":
		out, code = in.h.netsh(args)
		o.write(1, out)
	case "getmac":
		low := strings.ToLower(strings.Join(args, " "))
		if f := strings.Fields(low); len(f) != 4 || !strings.Contains(" "+low+" ", " /fo csv ") || !slices.Contains(f, "/nh") || !slices.Contains(f, "/v") {
			return 1, fmt.Errorf("getmac %s: only getmac /fo csv /nh /v is modelled", strings.Join(args, " "))
		}
		o.write(1, in.h.getmac())
	case "reg":
		// reg prints its errors on stderr.
		out, code = in.h.reg(args)
		if code == 0 {
			o.write(1, out)
		} else {
			o.write(2, out)
		}
	case "ping":
		var err error
		if code, err = in.ping(args, o); err != nil {
			return 1, err
		}
	default:
		return 1, fmt.Errorf("%q is not a command this model of cmd.exe knows", name)
	}
	in.errorlevel = code
	return code, nil
}

// cmdEcho: ECHO drops the one delimiter after its name and prints the
// rest as it is (trailing spaces included); ECHO alone shows the state.
func (in *batInterp) cmdEcho(rest string, o *batIO) {
	if strings.Trim(rest, " \t") == "" {
		state := "off"
		if in.echo {
			state = "on"
		}
		o.write(1, "ECHO is "+state+".\r\n")
		return
	}
	text := rest[1:]
	if rest[0] == ' ' || rest[0] == '\t' {
		switch strings.ToLower(strings.TrimSpace(text)) {
		case "off":
			in.echo = false
			return
		case "on":
			in.echo = true
			return
		}
	}
	o.write(1, text+"\r\n")
}

// cmdSet runs SET. SET "NAME=value" takes what is between the first and
// the last quote; SET NAME=value everything after =. An empty value
// undefines the variable. In a .cmd file (not .bat) a SET that succeeds
// sets ERRORLEVEL to 0.
func (in *batInterp) cmdSet(rest string, o *batIO) (int, error) {
	rest = strings.TrimLeft(rest, " \t")
	low := strings.ToLower(rest)
	switch {
	case strings.HasPrefix(low, "/a"):
		return in.setA(strings.TrimSuffix(rest[2:], " "), o)
	case strings.HasPrefix(low, "/p"):
		return 1, errors.New("SET /P is not modelled")
	}
	if rest == "" {
		in.showVars("", o)
		return 0, nil
	}
	body := rest
	if strings.HasPrefix(rest, `"`) {
		body = rest[1:]
		if k := strings.LastIndexByte(body, '"'); k >= 0 {
			body = body[:k]
		}
	}
	name, value, ok := strings.Cut(body, "=")
	if !ok {
		if !in.showVars(body, o) {
			o.write(2, "Environment variable "+body+" not defined\r\n")
			in.errorlevel = 1
			return 1, nil
		}
		in.errorlevel = 0
		return 0, nil
	}
	if name == "" {
		o.write(2, "The syntax of the command is incorrect.\r\n")
		in.errorlevel = 1
		return 1, nil
	}
	if value == "" {
		if _, there := in.vars[strings.ToUpper(name)]; !there {
			// Undefining a variable that is not defined fails (an
			// observed behaviour, not documented).
			in.errorlevel = 1
			return 1, nil
		}
	}
	in.setVar(name, value)
	in.errorlevel = 0
	return 0, nil
}

func (in *batInterp) showVars(prefix string, o *batIO) bool {
	var names []string
	for k, v := range in.vars {
		if strings.HasPrefix(k, strings.ToUpper(prefix)) {
			names = append(names, v.name)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(strings.ToUpper(a), strings.ToUpper(b)) })
	for _, n := range names {
		o.write(1, n+"="+in.vars[strings.ToUpper(n)].value+"\r\n")
	}
	return len(names) > 0
}

// cmdCall runs CALL: its arguments are percent-expanded once more (phase
// 6); CALL :label args runs a new batch context from the label (its
// ERRORLEVEL at the end is the result), CALL command runs the command.
func (in *batInterp) cmdCall(rest string, o *batIO) (int, error) {
	rest, err := in.percent(rest)
	if err != nil {
		return 1, err
	}
	t := strings.TrimLeft(rest, " \t,;=")
	if !strings.HasPrefix(t, ":") {
		// CALL command: parsed again (phase 2), not expanded again.
		cells, err := in.lex(t)
		if err != nil {
			return 1, err
		}
		p := &batParser{s: cells}
		seq, err := p.parseSeq(false, nil)
		if err == nil && p.pos < len(p.s) {
			err = fmt.Errorf("%q unexpected", p.s[p.pos].c)
		}
		if err != nil {
			return 1, fmt.Errorf("CALL %s: %w", t, err)
		}
		return in.exec(seq, o)
	}
	args := batSplit(t)
	label := args[0][1:]
	if in.frame == nil {
		return 1, errors.New("CALL :label outside a batch file")
	}
	pc, err := in.findLabel(label)
	if err != nil {
		return 1, err
	}
	// FOR variables are not expanded in the called lines.
	depth := in.forDepth
	in.forDepth = 0
	code, err := in.runFrame(pc, args, o)
	in.forDepth = depth
	if err != nil {
		return 1, err
	}
	in.errorlevel = code
	return code, nil
}

// setA runs SET /A: comma-separated assignments and expressions with
// + - * / % & | ^ << >>, unary - ! ~, parentheses, numbers and variable
// names, in 32-bit integers. It prints nothing in a batch file.
func (in *batInterp) setA(expr string, o *batIO) (int, error) {
	e := &batArith{in: in, s: strings.ReplaceAll(expr, `"`, "")}
	for {
		if _, err := e.assign(); err != nil {
			o.write(2, err.Error()+"\r\n")
			in.errorlevel = 1
			return 1, nil
		}
		e.space()
		if e.i >= len(e.s) {
			break
		}
		if e.s[e.i] != ',' {
			o.write(2, "Missing operator.\r\n")
			in.errorlevel = 1
			return 1, nil
		}
		e.i++
	}
	in.errorlevel = 0
	return 0, nil
}

type batArith struct {
	in *batInterp
	s  string
	i  int
}

func (e *batArith) space() {
	for e.i < len(e.s) && (e.s[e.i] == ' ' || e.s[e.i] == '\t') {
		e.i++
	}
}

// name reads a variable name at i, or "".
func (e *batArith) name() string {
	j := e.i
	for j < len(e.s) && strings.IndexByte(" \t()+-*/%!~&|^<>=,", e.s[j]) < 0 && !(j == e.i && e.s[j] >= '0' && e.s[j] <= '9') {
		j++
	}
	return e.s[e.i:j]
}

func (e *batArith) assign() (int32, error) {
	e.space()
	save := e.i
	if n := e.name(); n != "" {
		e.i += len(n)
		e.space()
		for _, op := range []string{"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="} {
			if strings.HasPrefix(e.s[e.i:], op) && !(op == "=" && strings.HasPrefix(e.s[e.i:], "==")) {
				e.i += len(op)
				v, err := e.assign()
				if err != nil {
					return 0, err
				}
				if op != "=" {
					if v, err = batArithOp(op[:len(op)-1], e.varValue(n), v); err != nil {
						return 0, err
					}
				}
				e.in.setVar(n, strconv.Itoa(int(v)))
				return v, nil
			}
		}
	}
	e.i = save
	return e.binary(0)
}

func (e *batArith) varValue(n string) int32 {
	v, _ := e.in.lookup(n)
	k, err := batAtoi(strings.TrimSpace(v))
	if err != nil {
		return 0
	}
	return int32(k)
}

// batArithLevels are the binary operators, loosest first.
var batArithLevels = [][]string{{"|"}, {"^"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}}

func (e *batArith) binary(level int) (int32, error) {
	if level == len(batArithLevels) {
		return e.unary()
	}
	v, err := e.binary(level + 1)
	if err != nil {
		return 0, err
	}
	for {
		e.space()
		op := ""
		for _, o := range batArithLevels[level] {
			if strings.HasPrefix(e.s[e.i:], o) && !strings.HasPrefix(e.s[e.i+len(o):], "=") {
				op = o
			}
		}
		if op == "" {
			return v, nil
		}
		e.i += len(op)
		w, err := e.binary(level + 1)
		if err != nil {
			return 0, err
		}
		if v, err = batArithOp(op, v, w); err != nil {
			return 0, err
		}
	}
}

func batArithOp(op string, a, b int32) (int32, error) {
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/", "%":
		if b == 0 {
			return 0, errors.New("Divide by zero error.")
		}
		if op == "/" {
			return a / b, nil
		}
		return a % b, nil
	case "&":
		return a & b, nil
	case "|":
		return a | b, nil
	case "^":
		return a ^ b, nil
	case "<<":
		return a << uint(b&31), nil
	case ">>":
		return a >> uint(b&31), nil
	}
	return 0, fmt.Errorf("operator %s", op)
}

func (e *batArith) unary() (int32, error) {
	e.space()
	if e.i >= len(e.s) {
		return 0, errors.New("Missing operand.")
	}
	switch c := e.s[e.i]; {
	case c == '-' || c == '+' || c == '!' || c == '~':
		e.i++
		v, err := e.unary()
		switch c {
		case '-':
			v = -v
		case '!':
			v = int32(batBtoi(v == 0))
		case '~':
			v = ^v
		}
		return v, err
	case c == '(':
		e.i++
		v, err := e.assign()
		if err != nil {
			return 0, err
		}
		e.space()
		if e.i >= len(e.s) || e.s[e.i] != ')' {
			return 0, errors.New("Missing closing parenthesis.")
		}
		e.i++
		return v, nil
	case c >= '0' && c <= '9':
		j := e.i
		for j < len(e.s) && (e.s[j] >= '0' && e.s[j] <= '9' || strings.IndexByte("xXabcdefABCDEF", e.s[j]) >= 0) {
			j++
		}
		n, err := batAtoi(e.s[e.i:j])
		if err != nil {
			return 0, errors.New("Invalid number.")
		}
		e.i = j
		return int32(n), nil
	}
	n := e.name()
	if n == "" {
		return 0, errors.New("Missing operand.")
	}
	e.i += len(n)
	return e.varValue(n), nil
}

// batCRTArgs splits a program's command line as the Microsoft C runtime
// does (argv): white space separates, double quotes group and go, \"
// is a quote, backslashes are literal unless before a quote, and "" in
// quotes is a quote.
func batCRTArgs(s string) []string {
	var args []string
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			return args
		}
		var b strings.Builder
		quoted := false
		for i < len(s) && (quoted || s[i] != ' ' && s[i] != '\t') {
			switch c := s[i]; {
			case c == '\\':
				n := 0
				for i < len(s) && s[i] == '\\' {
					n++
					i++
				}
				if i < len(s) && s[i] == '"' {
					b.WriteString(strings.Repeat(`\`, n/2))
					if n%2 == 1 {
						b.WriteByte('"')
						i++
					}
				} else {
					b.WriteString(strings.Repeat(`\`, n))
				}
			case c == '"':
				if quoted && i+1 < len(s) && s[i+1] == '"' {
					b.WriteByte('"')
					i += 2
					continue
				}
				quoted = !quoted
				i++
			default:
				b.WriteByte(c)
				i++
			}
		}
		args = append(args, b.String())
	}
}

// ping: only "ping -n N 127.0.0.1", the scripts' wait of N-1 seconds,
// which the host sees as one wait.
func (in *batInterp) ping(args []string, o *batIO) (int, error) {
	n := 4
	host := ""
	for k := 0; k < len(args); k++ {
		switch a := strings.ToLower(args[k]); {
		case (a == "-n" || a == "/n") && k+1 < len(args):
			var err error
			if n, err = strconv.Atoi(args[k+1]); err != nil || n < 1 {
				return 1, fmt.Errorf("ping: bad count %q", args[k+1])
			}
			k++
		case host == "" && !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "/"):
			host = a
		default:
			return 1, fmt.Errorf("ping %s: not modelled", strings.Join(args, " "))
		}
	}
	if host != "127.0.0.1" && host != "localhost" {
		return 1, fmt.Errorf("ping %s: only the loopback wait is modelled", host)
	}
	o.write(1, "\r\nPinging 127.0.0.1 with 32 bytes of data:\r\n")
	for range n {
		o.write(1, "Reply from 127.0.0.1: bytes=32 time<1ms TTL=128\r\n")
	}
	if n > 1 {
		in.h.Slept++
		if in.h.OnSleep != nil {
			in.h.OnSleep(in.h)
		}
	}
	return 0, nil
}

// ParseCmd expands and parses every line of a script, running nothing,
// with every variable set to 1. (With none set it would also find the
// modifier on an undefined variable that breaks a line, but also where
// the variable is always set when the line runs.)
func ParseCmd(script []byte) error {
	in := newBatInterp(&Host{})
	in.placeholder = "1"
	in.lines = strings.Split(strings.ReplaceAll(string(script), "\r", ""), "\n")
	in.frame = &batFrame{args: []string{batScriptPath}}
	for in.frame.pc < len(in.lines) {
		if _, err := in.readLine(&batIO{}); err != nil {
			return err
		}
	}
	return nil
}
