// Package winmodel runs the Windows scripts enicfg renders without
// Windows: a model of the host state they read and change (Host: adapters,
// addresses, routes, DNS, DHCP, the registry), a cmd.exe interpreter
// (RunCmd) and a PowerShell interpreter (RunPS) for the constructs the
// scripts use, each with the semantics of the real shell. The render
// package's tests run every script through them, twice, from several
// starting states (render/winconverge_test.go). Only tests import it.
package winmodel
