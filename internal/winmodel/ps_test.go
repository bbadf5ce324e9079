package winmodel

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// psiTestHost has one adapter, Ethernet (index 5), with a static address
// and a secondary one that is never a source address.
func psiTestHost() *Host {
	return &Host{Adapters: []*Adapter{{
		Name: "Ethernet", MAC: "00-16-3E-12-E7-27", GUID: "{11111111-2222-3333-4444-555555555555}",
		Index: 5, Present: true, Up: true, MTU: 1500,
		Addrs: []Addr{
			{IP: "10.0.0.5", Bits: 24, Origin: "Manual"},
			{IP: "10.0.0.30", Bits: 24, Skip: true, Origin: "Manual"},
		},
	}}}
}

// TestPSInterp pins the semantics a plausible interpreter bug would get
// wrong; each script is written with LF and run with CRLF.
func TestPSInterp(t *testing.T) {
	cases := []struct {
		name   string
		script string
		exit   int
		out    string // the whole output, lines joined with \n
		err    string // in the interpreter's error
		check  func(*Host) error
	}{
		{name: "strict mode: an unset variable", err: "has not been set", script: `
Set-StrictMode -Version 2.0
Write-Output $nosuch`},
		{name: "strict mode: an unset variable in a string", err: "has not been set", script: `
Set-StrictMode -Version 2.0
Write-Output "x$nosuch"`},
		{name: "without strict mode an unset variable is $null", out: "True", script: `
Write-Output ($nosuch -eq $null)`},
		{name: "strict mode: a missing property", err: "NoSuch", script: `
Set-StrictMode -Version 2.0
$a = @(Get-NetAdapter)[0]
Write-Output $a.NoSuch`},
		{name: "property names have no case", out: "5", script: `
Set-StrictMode -Version 2.0
Write-Output @(Get-NetAdapter)[0].IFINDEX`},
		{name: "@() keeps one object an array, ( ) unwraps it", out: "1\nEthernet", script: `
Set-StrictMode -Version 2.0
$a = @(Get-NetAdapter | Where-Object { $_.Name -eq 'Ethernet' })
Write-Output $a.Count
$b = (Get-NetAdapter | Where-Object { $_.Name -eq 'Ethernet' })
Write-Output $b.Name`},
		{name: "strict mode: Count of one object is an error", err: "Count", script: `
Set-StrictMode -Version 2.0
$b = (Get-NetAdapter | Where-Object { $_.Name -eq 'Ethernet' })
Write-Output $b.Count`},
		{name: "( ) keeps an expression's array", out: "1", script: `
Set-StrictMode -Version 2.0
$a = @('x')
Write-Output ($a).Count`},
		{name: "nothing vs $null", out: "0\n0\n1\nTrue", script: `
Write-Output @(Get-NetAdapter | Where-Object { $false }).Count
$x = Get-NetAdapter | Where-Object { $false }
Write-Output @($x).Count
$y = $null
Write-Output @($y).Count
Write-Output ($x -eq $null)`},
		{name: "-eq on an array filters", out: "2\nfalse\nnone", script: `
$r = @('a', 'b', 'A') -eq 'a'
Write-Output $r.Count
if (@(0) -eq 0) { Write-Output 'true' } else { Write-Output 'false' }
if (@('x') -eq 'y') { 'some' } else { 'none' }`},
		{name: "comparisons convert the right operand to the left one's type", out: "True\nTrue\nFalse\nTrue\nFalse", script: `
Write-Output ('10' -lt 9)
Write-Output (10 -eq '10')
Write-Output (10 -eq 'ten')
Write-Output ('ABC' -eq 'abc')
Write-Output ('ABC' -ceq 'abc')`},
		{name: "-not binds tighter than -and, -and and -or are one level", out: "False\nFalse", script: `
$p = @(Get-NetIPAddress -InterfaceIndex 5 | Where-Object { $_.IPAddress -eq '10.0.0.5' })[0]
Write-Output (-not $p.SkipAsSource -and $false)
Write-Output ($true -or $true -and $false)`},
		{name: "the comma binds tighter than + and -eq", out: "ab c\n1", script: `
$x = 'a' + 'b', 'c'
Write-Output $x
Write-Output (1, 2 -eq 2).Count`},
		{name: "-and does not run its right side", out: "ok", script: `
Set-StrictMode -Version 2.0
if ($false -and $nosuch) { 'wrong' } else { 'ok' }`},
		{name: "member enumeration", out: "2\nTrue\nTrue", script: `
Set-StrictMode -Version 2.0
$ips = @(Get-NetIPAddress -InterfaceIndex 5).IPAddress
Write-Output $ips.Count
Write-Output ($ips -contains '10.0.0.30')
Write-Output (@(Get-NetAdapter).Name -eq 'Ethernet')`},
		{name: "-contains, -notcontains, -in, -notin", out: "False\nTrue\nTrue\nTrue\nTrue\nFalse\nTrue", script: `
$l = @('A', 'b')
Write-Output ($l -notcontains 'a')
Write-Output ($l -notcontains 'c')
Write-Output ($l -contains 'B')
Write-Output ('b' -in $l)
Write-Output ('x' -notin $l)
Write-Output ($l -ccontains 'a')
Write-Output ('x' -contains 'X')`},
		{name: "trap runs on a cmdlet error under Stop", exit: 3,
			out: "before\ntrapped: No MSFT_NetIPInterface objects found with property 'InterfaceIndex' equal to '99'", script: `
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
trap { [Console]::Error.WriteLine('trapped: ' + $_); exit 3 }
Write-Output 'before'
$d = (Get-NetIPInterface -InterfaceIndex 99 -AddressFamily IPv4).Dhcp
Write-Output 'after'`},
		{name: "-ErrorAction SilentlyContinue drops the error", out: "before\nafter 0", script: `
$ErrorActionPreference = 'Stop'
trap { [Console]::Error.WriteLine('trapped: ' + $_); exit 3 }
Write-Output 'before'
$n = @(Get-NetIPAddress -InterfaceIndex 99 -ErrorAction SilentlyContinue).Count
Write-Output ('after ' + $n)`},
		{name: "-ErrorAction Stop without the preference", exit: 4, out: "trapped", script: `
trap { Write-Output 'trapped'; exit 4 }
Get-NetRoute -InterfaceIndex 5 -ErrorAction Stop
Write-Output 'after'`},
		{name: "without Stop a cmdlet error is reported and the script goes on",
			out: "Get-NetRoute : No MSFT_NetRoute objects found\nafter", script: `
trap { Write-Output 'trapped'; exit 4 }
Get-NetRoute -InterfaceIndex 5
Write-Output 'after'`},
		{name: "-ErrorAction does not hide an unknown cmdlet", err: "unknown cmdlet", script: `
Get-NetNothing -InterfaceIndex 5 -ErrorAction SilentlyContinue`},
		{name: "throw goes to the trap as an error record", exit: 1, out: "trapped: want 1, found 2", script: `
trap { Write-Output ('trapped: ' + $_); exit 1 }
throw ('want 1, found ' + 2)
Write-Output 'after'`},
		{name: "an unhandled throw ends the script with 1", exit: 1, out: "boom", script: `
throw 'boom'
Write-Output 'after'`},
		{name: "a trap that goes on resumes after the statement of its list", out: "trapped: x\nnext", script: `
trap { Write-Output ('trapped: ' + $_); continue }
if ($true) { throw 'x'; Write-Output 'rest of the if' }
Write-Output 'next'`},
		{name: "break leaves the for loop", out: "0\n1\n2\nw=3", script: `
Set-StrictMode -Version 2.0
for ($w = 0; $w -lt 10; $w++) { if ($w -eq 3) { break }; Write-Output $w }
Write-Output ('w=' + $w)`},
		{name: "exit", exit: 1002, out: "x", script: `
Write-Output 'x'
exit 1002
Write-Output 'y'`},
		{name: "exit inside a loop inside an if", exit: 7, script: `
foreach ($s in 'A', 'B') { if ($s -eq 'B') { exit 7 } }
exit 0`},
		{name: "running off the end is 0", out: "end", script: `
Write-Output 'end'`},
		{name: "foreach, elseif, Write-Warning", out: "A one\nB two\nWARNING: careful", script: `
foreach ($s in 'A', 'B') {
    if ($s -eq 'X') { $n = 'zero' } elseif ($s -eq 'A') { $n = 'one' } else { $n = 'two' }
    Write-Output ($s + ' ' + $n)
}
Write-Warning 'careful'`},
		{name: "double-quoted strings", out: "if=5 (6) 'q' \"d\" $i", script: `
$i = 5
Write-Output "if=$i ($($i + 1)) 'q' ""d"" ` + "`" + `$i"`},
		{name: "$LASTEXITCODE after netsh; its failure is no PowerShell error", out: "0\nThe filename, directory name, or volume label syntax is incorrect.\n1\nafter", script: `
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
trap { Write-Output 'trapped'; exit 9 }
$i = 5
netsh interface ipv4 set interface interface="$i" dhcpstaticipcoexistence=enabled store=persistent | Out-Null
Write-Output $LASTEXITCODE
netsh interface ipv4 set interface interface="no such" dhcpstaticipcoexistence=enabled
Write-Output $LASTEXITCODE
Write-Output 'after'`,
			check: func(h *Host) error {
				if !h.Adapters[0].Coexist {
					return fmt.Errorf("netsh did not set dhcpstaticipcoexistence on index 5")
				}
				return nil
			}},
		{name: "Windows PowerShell 5.1 drops an empty argument to a native command", out: "0", script: `
netsh interface ipv4 set interface '' interface=5 dhcpstaticipcoexistence=enabled | Out-Null
Write-Output $LASTEXITCODE`},
		{name: "strict mode: $LASTEXITCODE before any native command", err: "LASTEXITCODE", script: `
Set-StrictMode -Version 2.0
Write-Output $LASTEXITCODE`},
		{name: "a pipeline into Remove-NetIPAddress", out: "1", script: `
Get-NetIPAddress -InterfaceIndex 5 | Where-Object { $_.SkipAsSource } | Remove-NetIPAddress -Confirm:$false
Write-Output @(Get-NetIPAddress -InterfaceIndex 5).Count`,
			check: func(h *Host) error {
				if a := h.Adapters[0].Addrs; len(a) != 1 || a[0].IP != "10.0.0.5" {
					return fmt.Errorf("addresses %v, want only 10.0.0.5", a)
				}
				return nil
			}},
		{name: "New-NetIPAddress with -SkipAsSource $true", script: `
New-NetIPAddress -InterfaceIndex 5 -AddressFamily IPv4 -IPAddress '10.0.0.31' -PrefixLength 24 -SkipAsSource $true | Out-Null`,
			check: func(h *Host) error {
				want := Addr{IP: "10.0.0.31", Bits: 24, Skip: true, Origin: "Manual"}
				if a := h.Adapters[0].Addrs; len(a) != 3 || a[2] != want {
					return fmt.Errorf("addresses %v, want %v added", a, want)
				}
				return nil
			}},
		{name: "an array parameter", script: `
$servers = @('100.100.2.136', '100.100.2.138')
Set-DnsClientServerAddress -InterfaceIndex 5 -ServerAddresses $servers`,
			check: func(h *Host) error {
				if d := h.Adapters[0].DNS; !slices.Equal(d, []string{"100.100.2.136", "100.100.2.138"}) {
					return fmt.Errorf("DNS %v", d)
				}
				return nil
			}},
		{name: "the adapter appears while the loop waits", out: "7 after 2 waits", script: `
Set-StrictMode -Version 2.0
for ($w = 0; $w -lt 30; $w++) {
    $a = @(Get-NetAdapter | Where-Object { $_.MacAddress -eq '00-16-3E-00-00-07' })
    if ($a.Count -ne 0) { break }
    Start-Sleep -Seconds 2
}
Write-Output ([string]$a[0].ifIndex + ' after ' + $w + ' waits')`},
		{name: "Write-Output of an unwritten $null prints nothing", out: "", script: `
Write-Output $null`},
		{name: "output of a command that is not captured is printed", out: "@{DestinationPrefix=10.1.0.0/16}", script: `
New-NetRoute -InterfaceIndex 5 -DestinationPrefix '10.1.0.0/16' -NextHop '10.0.0.1'`},

		{name: "input the model cannot take", err: "failed on its input", script: `
Get-NetAdapter | Remove-NetIPAddress -Confirm:$false`},
		{name: "== is a syntax error", err: "-eq", script: `if ($a == 1) { }`},
		{name: "!= is a syntax error", err: "-ne", script: `if ($a != 1) { }`},
		{name: "an unknown command", err: "unknown command", script: `Get-Nothing`},
		{name: "an unknown operator", err: "-match", script: `$a = 'x' -match 'x'`},
		{name: "a positional argument to a cmdlet", err: "positional", script: `Get-NetIPAddress 5`},
		{name: "-Confirm $false passes $false positionally", err: "positional", script: `
Get-NetIPAddress -InterfaceIndex 5 | Remove-NetIPAddress -Confirm $false`},
		{name: "$i: in a string", err: "not valid", script: `Write-Output "$i: x"`},
		{name: "an endless loop", err: "steps", script: `for (;;) { }`},
		{name: "break outside a loop", err: "outside a loop", script: `break`},
		{name: "an unterminated block", err: "missing", script: `if ($true) {`},
		{name: "else if", err: "want '{'", script: `if ($true) { } else if ($false) { }`},
		{name: "an expression after a pipe", err: "first element", script: `Get-NetAdapter | $x`},
		{name: "an unsupported statement", err: "try", script: `try { } catch { }`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := psiTestHost()
			if strings.Contains(tc.name, "appears") {
				h.OnSleep = func(h *Host) {
					if h.Slept == 2 {
						h.Adapters = append(h.Adapters, &Adapter{Name: "Ethernet 2", MAC: "00-16-3E-00-00-07", Index: 7, Present: true, Up: true})
					}
				}
			}
			script := strings.ReplaceAll(strings.TrimPrefix(tc.script, "\n"), "\n", "\r\n") + "\r\n"
			exit, err := RunPS(h, []byte(script))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one with %q\nscript:\n%s", err, tc.err, tc.script)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v\nscript:\n%s", err, tc.script)
			}
			if exit != tc.exit {
				t.Errorf("exit %d, want %d", exit, tc.exit)
			}
			out := strings.TrimSuffix(strings.ReplaceAll(h.Out.String(), "\r\n", "\n"), "\n")
			if out != tc.out {
				t.Errorf("output:\n%s\nwant:\n%s", out, tc.out)
			}
			if tc.check != nil {
				if err := tc.check(h); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
