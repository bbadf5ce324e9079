package syntax

import (
	"strings"
	"testing"
)

// crlf joins lines as the scripts are written.
func crlf(ls ...string) []byte { return []byte(strings.Join(ls, "\r\n") + "\r\n") }

// goodCmd is a small script in the form of enicfg's .cmd; each case of
// TestCmdRefuses adds one line to its main part.
var goodCmd = []string{
	"rem cmd", "@echo off", "setlocal EnableExtensions DisableDelayedExpansion",
	`set "IF=Ethernet 2"`,
	`netsh interface ipv4 add address name="%IF%" address=10.0.0.5 mask=255.255.255.0 skipassource=true >nul || call :fail`,
	`for /f "tokens=1" %%A in ('getmac /fo csv /nh /v') do set "N=%%A"`,
	"exit /b 0",
	":fail", "exit /b 1",
}

func withLine(line string) []byte {
	ls := append([]string{}, goodCmd[:4]...)
	return crlf(append(append(ls, line), goodCmd[4:]...)...)
}

func TestCmdRefuses(t *testing.T) {
	if err := Cmd(crlf(goodCmd...)); err != nil {
		t.Fatalf("a good script refused: %v", err)
	}
	for _, c := range []struct{ name, line string }{
		{"unknown command", `del C:\x`},
		{"unknown variable", `echo %FOO%`},
		{"batch parameter", `echo %1`},
		{"unpaired percent", `echo 50%`},
		{"pipe outside quotes", `echo a|b`},
		{"caret outside quotes", `echo a^b`},
		{"unbalanced quotes", `set "IF=x`},
		{"percent in a FOR line", `for /f %%A in ('x') do echo 5%%`},
		{"delayed expansion", `setlocal EnableDelayedExpansion`},
		{"REM ending with a caret", `rem a ^`},
		{"netsh outside the grammar", `netsh interface ipv4 add address name="%IF%" address=10.0.0.5 mask=255.0.255.0`},
		{"undefined label", `goto :nowhere`},
		{"an exit before the end", `exit /b 3`},
		{"a label twice", `:fail`},
	} {
		if err := Cmd(withLine(c.line)); err == nil {
			t.Errorf("%s: accepted %q", c.name, c.line)
		}
	}
	if err := Cmd(crlf(goodCmd[1:]...)); err == nil {
		t.Error("accepted a script without rem cmd")
	}
	if err := Cmd(crlf(append(goodCmd[:2:2], goodCmd[3:]...)...)); err == nil {
		t.Error("accepted a script without setlocal DisableDelayedExpansion")
	}
}

func TestPowerShellRefuses(t *testing.T) {
	head := []string{"#ps1_sysnative", "Set-StrictMode -Version 2.0"}
	good := crlf(append(head, `$a = @(Get-NetAdapter | Where-Object { $_.MacAddress -eq '00-16-3E-12-CC-8D' })`,
		`$a = @(Get-NetAdapter | Where-Object { $_.Name -eq '} x {' -and $_.Status -ne 'Not Present' })`,
		`New-NetRoute -InterfaceIndex $i -DestinationPrefix '0.0.0.0/0' -NextHop '10.0.0.1' -RouteMetric 9999 -PolicyStore $store | Out-Null`)...)
	if err := PowerShell(good); err != nil {
		t.Fatalf("a good script refused: %v", err)
	}
	for _, line := range []string{
		`Remove-Item -Path 'C:\x'`,
		`Get-NetAdapter -Foo 1`,
		`New-NetRoute -InterfaceIndex $i -DestinationPrefix '0.0.0.0/0' -RouteMetric 10000`,
		`New-NetRoute -InterfaceIndex $i -DestinationPrefix '0.0.0.0/0' -RouteMetric 0`,
		`Set-NetIPInterface -InterfaceIndex $i -NlMtuBytes 500`,
		`Set-NetIPInterface -InterfaceIndex $i -AddressFamily IPv5`,
		`Set-NetIPInterface -InterfaceIndex $i -AddressFamily IPv6 -NlMtuBytes 1000`,
		`Set-NetIPInterface -InterfaceIndex $i -AddressFamily IPv6 -RouterDiscovery ControlledByDHCP`,
		`New-NetIPAddress -InterfaceIndex $i -AddressFamily IPv6 -IPAddress '2001:db8::1' -PrefixLength 129`,
		`New-NetRoute -InterfaceIndex $i -AddressFamily IPv6 -DestinationPrefix '::/0' -NextHop 'fe80::1%5'`,
		`Get-NetRoute '0.0.0.0/0'`,
		`Where-Object -Property Name`,
		`netsh interface ipv4 add route prefix=10.0.0.1/8 interface="X"`,
	} {
		if err := PowerShell(crlf(append(head, line)...)); err == nil {
			t.Errorf("accepted %q", line)
		}
	}
	if err := PowerShell(crlf(head[1:]...)); err == nil {
		t.Error("accepted a script without #ps1_sysnative")
	}
}

// TestNetshRefuses shows that the grammar check rejects what the
// documentation does not allow.
func TestNetshRefuses(t *testing.T) {
	for _, bad := range []string{
		`netsh interface ipv4 add address name="X" address=10.0.0.5 mask=255.0.255.0`,
		`netsh interface ipv4 add address name=Ethernet 2 address=10.0.0.5`,
		`netsh interface ipv4 add address name=«IF» address=10.0.0.5`,
		`netsh interface ipv4 add address name="X" address=10.0.0.5 skipassource=yes`,
		`netsh interface ipv4 add address name="X" addr=10.0.0.5`,
		`netsh interface ipv4 add route prefix=10.0.0.1/8 interface="X"`,
		`netsh interface ipv4 add route prefix=10.0.0.0/8`,
		`netsh interface ipv4 add route prefix=10.0.0.0/8 interface="X" metric=0`,
		`netsh interface ipv4 set address name="X" source=static address=10.0.0.5 mask=255.255.255.0 gateway=none gwmetric=5`,
		`netsh interface ipv4 set address name="X" source=dhcp gateway=none`,
		`netsh interface ipv4 set address name="X" source=static address=10.0.0.5`,
		`netsh interface ipv4 set interface interface="X" metric=5`,
		`netsh interface ipv4 set subinterface "X" mtu=1500`,
		`netsh interface ipv4 add address name="X" address=10.0.0.5 address=10.0.0.6`,
		`netsh interface ip add address name="X" address=10.0.0.5`,
		`netsh interface ipv4 add neighbors interface="X" address=10.0.0.5`,
		`netsh interface ipv6 add address name="X" address=2001:db8::5/64`,
		`netsh interface ipv6 add address interface="X" address=10.0.0.5`,
		`netsh interface ipv6 set address interface="X" address=2001:db8::5 skipassource=true`,
		`netsh interface ipv6 add route prefix=2001:db8::1/64 interface="X"`,
		`netsh interface ipv6 add route prefix=::/0 interface="X" nexthop=10.0.0.1`,
		`netsh interface ipv6 add route prefix=::/0 interface="X" nexthop=fe80::1%5`,
		`netsh interface ipv6 set interface interface="X" dhcpstaticipcoexistence=enabled`,
		`netsh interface ipv6 delete address interface="X" address=2001:db8::5/64`,
	} {
		if _, err := Netsh(bad); err == nil {
			t.Errorf("accepted: %s", bad)
		}
	}
	for _, good := range []string{
		`netsh interface ipv4 add address name="«IF»" address=10.0.0.5 mask=255.255.255.0 skipassource=true`,
		`netsh interface ipv6 add address interface="«IF»" address=2001:db8::5/64 skipassource=false store=persistent`,
		`netsh interface ipv6 add route prefix=::/0 interface="«IF»" nexthop=fe80::1 metric=9999 store=persistent`,
		`netsh interface ipv6 set interface interface="«IF»" routerdiscovery=disabled managedaddress=disabled store=persistent`,
	} {
		if _, err := Netsh(good); err != nil {
			t.Errorf("rejected a good line: %s: %v", good, err)
		}
	}
}
