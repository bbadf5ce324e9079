// Package versions holds what the versions of the tools on a target mean
// for enicfg: which versions each target covers, which version brought
// each construct a renderer writes, every fact with its source.
package versions
