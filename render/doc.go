// Package render turns a resolved description into the files of one
// distribution family, and writes file sets to a root folder.
package render
