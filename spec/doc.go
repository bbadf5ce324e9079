// Package spec reads a network description (format version 1), checks every
// rule of the format strictly and yields a resolved model in which every
// default is explicit.
package spec
