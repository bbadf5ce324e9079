// Command enicfg turns one declarative description of a cloud VM's network
// interfaces into the configuration files each operating system reads.
package main

import "os"

func main() { os.Exit(Main()) }
