package winmodel

import (
	"slices"
	"strings"
	"testing"
)

// runBat runs a hand-written script (lines joined with CRLF) on h and
// gives the interpreter, to look at its files and variables.
func runBat(t *testing.T, h *Host, lines ...string) (*batInterp, int) {
	t.Helper()
	in := newBatInterp(h)
	code, err := in.run([]byte(strings.Join(lines, "\r\n") + "\r\n"))
	if err != nil {
		t.Fatalf("%v\noutput:\n%s", err, h.Out.String())
	}
	return in, code
}

// checkGetmac: the script keeps an adapter only with the transport
// \Device\Tcpip_{GUID}, one backslash each, as getmac prints it.
func checkGetmac(t *testing.T, h *Host) {
	t.Helper()
	if g := h.getmac(); strings.Contains(g, `\\`) {
		t.Fatalf("Host.getmac quotes its fields with %%q, which doubles the backslashes: %q", g)
	}
}

// batOut runs a script on an empty host and gives what it printed.
func batOut(t *testing.T, lines ...string) string {
	t.Helper()
	h := &Host{}
	runBat(t, h, append([]string{"@echo off"}, lines...)...)
	return h.Out.String()
}

// TestCmdInterpPercent pins phase 1: %% and the modifiers, case-blind
// names and substitutions, and an undefined variable.
func TestCmdInterpPercent(t *testing.T) {
	in := newBatInterp(&Host{})
	in.frame = &batFrame{args: []string{"script.cmd"}}
	in.setVar("T", `\Device\Tcpip_{ABC}`)
	in.setVar("G", "{11-22}")
	in.setVar("IPS", `10.0.0.1\010.0.0.2`)
	for _, c := range []struct{ in, want string }{
		{`%T:*Tcpip_=%`, "{ABC}"},
		{`%t:*TCPIP_=%`, "{ABC}"},                 // names and the search without case
		{`%T:*nothere=x%`, `\Device\Tcpip_{ABC}`}, // no match: unchanged
		{`%IPS:\0= %`, "10.0.0.1 10.0.0.2"},       // every match
		{`"%G:~0,1%"`, `"{"`},
		{`%G:~1%`, "11-22}"},
		{`%G:~-3%`, "22}"},
		{`%G:~1,-1%`, "11-22"},
		{`%G:~10,2%`, ""},
		{`100%% %%A %%~B`, "100% %A %~B"},
		{`[%UNDEFINED%]`, "[]"},
		// An undefined variable with a modifier: "%U:" goes, the rest
		// stays, and the last % has no partner.
		{`"%U:~0,1%"=="{"`, `"~0,1"=="{"`},
		{`a % b`, "a  b"},
		{`%TEMP%\x-%RANDOM%.txt`, `C:\Windows\TEMP\x-12345.txt`},
		{`%0`, "script.cmd"},
	} {
		got, err := in.percent(c.in)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	// %~ not followed by a parameter ends the script, even on a REM line.
	h := &Host{}
	if _, err := RunCmd(h, []byte("@echo off\r\nrem 100%~ sure\r\necho after\r\n")); err == nil || strings.Contains(h.Out.String(), "after") {
		t.Errorf("%%~ on a REM line: %v, output %q", err, h.Out.String())
	}
}

// TestCmdInterpForLineExpandedOnce: the whole FOR line is expanded before
// it runs, so %N% in the body keeps the value from before the loop; and so
// is a parenthesised block over several lines.
func TestCmdInterpForLineExpandedOnce(t *testing.T) {
	got := batOut(t,
		`set "N=0"`,
		`for /l %%W in (1,1,3) do set /a N+=1 & echo %N%-%%W`,
		`echo %N%`,
		`(`,
		`  set "N=9"`,
		`  echo block %N%`,
		`)`,
		`echo after %N%`,
	)
	want := "0-1\r\n0-2\r\n0-3\r\n3\r\nblock 3\r\nafter 9\r\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestCmdInterpForVars: %%~B takes the quotes away, %%B keeps them; the
// values are not parsed again (& in a value is text); the variables exist
// only in the body, not in a label it calls; FOR over a list splits at
// , ; = and spaces.
func TestCmdInterpForVars(t *testing.T) {
	got := batOut(t,
		`for /f "tokens=1,2 delims=," %%A in ('echo "a & b","c"') do echo [%%~A] [%%B] [%%~B]`,
		`for %%D in (1.1.1.1,2.2.2.2;3.3.3.3 "4 4") do echo %%D`,
		`echo %%D`,
		`for %%D in (x) do call :show`,
		`goto :eof`,
		`:show`,
		`echo in the label %%D`,
	)
	want := "[a & b] [\"c\"] [c]\r\n1.1.1.1\r\n2.2.2.2\r\n3.3.3.3\r\n\"4 4\"\r\n%D\r\nin the label %D\r\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestCmdInterpForF: FOR /F over a command's output, with cmd's tokens:
// quoted CSV fields split at commas (getmac's form, from a file here),
// tokens=3 (the REG_SZ line of reg query; the key line has one token and
// is skipped), and tokens=2,* whose rest is empty: the variable is set,
// empty, not left as %B.
func TestCmdInterpForF(t *testing.T) {
	h := &Host{}
	h.Reg = map[string]map[string]string{`HKLM\SOFTWARE\enicfg\X`: {"Empty": "REG_SZ ", "Two": "REG_SZ a b"}}
	in := newBatInterp(h)
	in.files[`c:\getmac.csv`] = "\"Ethernet 2\",\"Amazon Elastic Network Adapter\",\"00-16-3E-00-00-01\",\"\\Device\\Tcpip_{G1}\"\r\n" +
		"\r\n;\"comment\",\"x\",\"y\",\"z\"\r\n" +
		"\"Ethernet\",\"Amazon Elastic Network Adapter\",\"00-16-3E-00-00-02\",\"Media disconnected\"\r\n"
	code, err := in.run([]byte(strings.Join([]string{
		`@echo off`,
		`for /f "tokens=1,3,4 delims=," %%A in (C:\getmac.csv) do echo [%%~A][%%~B][%%~C]`,
		`for /f "tokens=3" %%V in ('reg query "HKLM\SOFTWARE\enicfg\X" /v Two 2^>nul') do echo three=%%V`,
		`for /f "tokens=2,*" %%A in ('reg query "HKLM\SOFTWARE\enicfg\X" /v Empty') do set "E=%%B"`,
		`for /f "tokens=2,*" %%A in ('reg query "HKLM\SOFTWARE\enicfg\X" /v Two') do set "R=%%B"`,
		`for /f "tokens=3" %%V in ('reg query "HKLM\SOFTWARE\enicfg\X" /v Missing 2^>nul') do set "M=%%V"`,
		`for /f "tokens=1,2 delims=@" %%P in ("10.0.0.0/8@10.0.0.1") do echo p=%%P q=%%Q`,
	}, "\r\n")))
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	want := "[Ethernet 2][00-16-3E-00-00-01][\\Device\\Tcpip_{G1}]\r\n" +
		"[Ethernet][00-16-3E-00-00-02][Media disconnected]\r\n" +
		"three=a\r\np=10.0.0.0/8 q=10.0.0.1\r\n"
	if got := h.Out.String(); got != want {
		t.Errorf("got %q, want %q (2^>nul in the command takes reg's error away)", got, want)
	}
	if v, ok := in.lookup("E"); ok {
		t.Errorf("E=%q: the rest of an empty line is an empty variable", v)
	}
	if v, _ := in.lookup("R"); v != "a b" {
		t.Errorf("R=%q, want the rest of the line %q", v, "a b")
	}
	if _, ok := in.lookup("M"); ok {
		t.Error("a failed reg query gave M a value")
	}
}

// TestCmdInterpOperators pins && || & and IF: && and || bind tighter than
// & and go left to right; IF and FOR take the rest of the line.
func TestCmdInterpOperators(t *testing.T) {
	got := batOut(t,
		`call :ok || echo A & echo B`,
		`call :fail && echo C || echo D`,
		`call :fail || echo E && echo F`,
		`if 1==0 echo G & echo H`,
		`if 1==1 echo I & echo J`,
		`echo K^&L "M&N" & echo O`,
		`goto :eof`,
		`:ok`,
		`exit /b 0`,
		`:fail`,
		`exit /b 1`,
	)
	want := "B\r\nD\r\nE \r\nF\r\nI \r\nJ\r\nK&L \"M&N\" \r\nO\r\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestCmdInterpResults: && and || follow the result of each command: a
// SET succeeds, a netsh or reg that fails fails; ERRORLEVEL is the exit
// code of the last program.
func TestCmdInterpResults(t *testing.T) {
	h := Example()
	key := `HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Interfaces\{11111111-2222-3333-4444-555555555555}`
	in, code := runBat(t, h,
		`@echo off`,
		`set "X=1" && echo set-ok`,
		`netsh interface ipv4 set address name="No Such" source=dhcp >nul || echo netsh-failed`,
		`reg query "`+key+`" /v EnableDHCP >nul && echo there`,
		`reg query "`+key+`" /v NoSuchValue >nul 2>&1 || echo not-there`,
		`reg query "HKLM\SOFTWARE\NoSuchKey" >nul 2>&1`,
	)
	want := "set-ok\r\nnetsh-failed\r\nthere\r\nnot-there\r\n"
	if got := h.Out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if code != 1 || in.errorlevel != 1 {
		t.Errorf("exit %d, ERRORLEVEL %d: want 1, reg's", code, in.errorlevel)
	}
}

// TestCmdInterpRedirect: >nul, > "file", >>, 2>&1 after >nul (both to nul)
// and before it (stderr where stdout was), >&2 in front.
func TestCmdInterpRedirect(t *testing.T) {
	h := &Host{}
	in, _ := runBat(t, h,
		`@echo off`,
		`set "F=%TEMP%\out file.txt"`,
		`echo hidden >nul`,
		`echo one> "%F%"`,
		`>>"%F%" echo two`,
		`call :both >nul 2>&1`,
		`call :both 2>&1 >nul`,
		`>&2 echo to-stderr`,
		`if exist "%F%" echo exists`,
		`del "%F%"`,
		`if not exist "%F%" echo gone`,
		`echo three> "%TEMP%\b.txt"`,
		`goto :eof`,
		`:both`,
		`echo out`,
		`>&2 echo err`,
	)
	want := "err\r\nto-stderr\r\nexists\r\ngone\r\n"
	if got := h.Out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := in.files[`c:\windows\temp\b.txt`]; got != "three\r\n" {
		t.Errorf("b.txt: %q", got)
	}
	if len(in.files) != 1 {
		t.Errorf("files %q: the deleted one is still there", in.files)
	}
}

// TestCmdInterpCallGoto: CALL :label runs to EXIT /B, which sets
// ERRORLEVEL (seen on the next line: the CALL line was expanded before);
// GOTO skips; EXIT /B in the main part ends the script with its code;
// the SETLOCAL of a called label ends with it.
func TestCmdInterpCallGoto(t *testing.T) {
	h := &Host{}
	_, code := runBat(t, h,
		`@echo off`,
		`setlocal EnableExtensions DisableDelayedExpansion`,
		`call :sub 7 & echo in-line %ERRORLEVEL%`,
		`echo next %ERRORLEVEL% %S%`,
		`goto skip`,
		`echo skipped`,
		`:skip`,
		`call :local`,
		`echo L=%L%`,
		`exit /b 3`,
		`echo never`,
		`:sub`,
		`set "S=%1"`,
		`exit /b %1`,
		`:local`,
		`setlocal`,
		`set "L=1"`,
		`goto :eof`,
	)
	want := "in-line 0\r\nnext 7 7\r\nL=\r\n"
	if got := h.Out.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if code != 3 {
		t.Errorf("exit %d, want 3", code)
	}
	// At the end of the file the exit code is ERRORLEVEL.
	if code, err := RunCmd(&Host{}, []byte("@echo off\r\ncall :x\r\ngoto :eof\r\n:x\r\nexit /b 5\r\n")); code != 5 || err != nil {
		t.Errorf("exit %d, %v; want 5", code, err)
	}
}

// TestCmdInterpIf: /I compares without case, NOT, DEFINED, nested IFs, a
// block with ELSE, on one line and over several.
func TestCmdInterpIf(t *testing.T) {
	got := batOut(t,
		`set "M=00-16-3e-12-e7-27"`,
		`if /i "%M%"=="00-16-3E-12-E7-27" echo same`,
		`if "%M%"=="00-16-3E-12-E7-27" echo case`,
		`if /i not "%M%"=="x" echo not`,
		`if defined M if not defined NOPE (echo nested & echo block)`,
		`if "a b"=="a b" (echo yes) else (echo no)`,
		`if "a"=="b" (echo yes) else echo else`,
		`if 10 GTR 9 echo numbers`,
		`if "a"=="b" (`,
		`  echo then`,
		`) else (`,
		`  echo lines`,
		`)`,
	)
	want := "same\r\nnot\r\nnested \r\nblock\r\nyes\r\nelse\r\nnumbers\r\nlines\r\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestCmdInterpSetA: SET /A arithmetic and its assignments.
func TestCmdInterpSetA(t *testing.T) {
	got := batOut(t,
		`set /a N=2`,
		`set /a N+=1`,
		`set /a "M=N*(4-1)+10/3, K=M %% 4"`,
		`echo %N% %M% %K%`,
	)
	if want := "3 12 0\r\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestCmdInterpQuotesAndArgs: a program gets its arguments as the C
// runtime splits them: name="Ethernet 2" is one, without its quotes.
func TestCmdInterpQuotesAndArgs(t *testing.T) {
	for s, want := range map[string][]string{
		`interface ipv4 set address name="Ethernet 2" source=dhcp`: {"interface", "ipv4", "set", "address", "name=Ethernet 2", "source=dhcp"},
		`add "HKLM\X\{G}" /v Routes /t REG_SZ /d "" /f`:            {"add", `HKLM\X\{G}`, "/v", "Routes", "/t", "REG_SZ", "/d", "", "/f"},
		`/c:" 10\.0\.0\.5\>" "C:\dir\"`:                            {`/c: 10\.0\.0\.5\>`, `C:\dir"`},
	} {
		if got := batCRTArgs(s); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", s, got, want)
		}
	}
}

// TestCmdInterpErrors: what the model does not know, and a malformed
// script, are errors, not ignored.
func TestCmdInterpErrors(t *testing.T) {
	for name, script := range map[string]string{
		"unknown command": "@echo off\r\nipconfig /all\r\n",
		"unknown label":   "@echo off\r\ngoto nowhere\r\n",
		"unclosed (":      "@echo off\r\nif 1==1 (\r\necho x\r\n",
		"endless loop":    "@echo off\r\n:loop\r\ngoto loop\r\n",
		"delayed":         "@echo off\r\nsetlocal EnableDelayedExpansion\r\n",
		"pipe":            "@echo off\r\necho x | more\r\n",
		"unclosed quote":  "@echo off\r\nset \"X=1\r\n",
		"for command":     "@echo off\r\nfor /f %%A in ('ipconfig') do echo %%A\r\n",
	} {
		if _, err := RunCmd(&Host{}, []byte(script)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestCmdInterpWait: ping -n 3 127.0.0.1 is a wait the host sees, where an
// adapter can appear.
func TestCmdInterpWait(t *testing.T) {
	h := &Host{}
	h.OnSleep = func(h *Host) {
		if h.Slept == 2 {
			h.Adapters = append(h.Adapters, &Adapter{Name: "Late", MAC: "00-16-3E-00-00-09", GUID: "{L}", Present: true, Up: true})
		}
	}
	_, code := runBat(t, h,
		`@echo off`,
		`for /l %%W in (1,1,30) do call :look`,
		`echo found after %N% waits`,
		`exit /b 0`,
		`:look`,
		`if defined FOUND exit /b 0`,
		`for /f "tokens=1 delims=," %%A in ('getmac /fo csv /nh /v') do set "FOUND=%%~A"`,
		`if not defined FOUND ping -n 3 127.0.0.1 >nul & set /a N+=1`,
	)
	if code != 0 || h.Slept != 2 || h.Out.String() != "found after 2 waits\r\n" {
		t.Errorf("exit %d, slept %d, output %q", code, h.Slept, h.Out.String())
	}
}

// TestGetmacBackslashes: the model prints getmac's transport as getmac
// does, \Device\Tcpip_{GUID} with one backslash each.
func TestGetmacBackslashes(t *testing.T) {
	checkGetmac(t, Example())
}
