// Package templates holds the text/template files of every family,
// embedded into the binary and parsed once.
package templates
