// Package distros is the catalogue of targets: every distribution and
// family name that --distro takes, with its family, the files it gets and
// the renderer settings its tools need.
package distros
