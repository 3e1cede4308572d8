package bench

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ListenerPID returns the process listening on TCP port on this machine, found through
// /proc/net/tcp{,6} and the socket links under /proc/PID/fd. The benchmarks use it to read
// the CPU time of a server they did not start themselves (moto, started by a helper that
// only hands back its URL).
func ListenerPID(port int) (int, error) {
	var inodes []string
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		found, err := listenInodes(fh, port)
		fh.Close()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
		inodes = append(inodes, found...)
	}
	if len(inodes) == 0 {
		return 0, fmt.Errorf("no socket listens on port %d", port)
	}
	want := map[string]bool{}
	for _, in := range inodes {
		want["socket:["+in+"]"] = true
	}
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		fds, err := os.ReadDir(filepath.Join("/proc", p.Name(), "fd"))
		if err != nil {
			continue // gone, or not ours to read
		}
		for _, fd := range fds {
			if link, err := os.Readlink(filepath.Join("/proc", p.Name(), "fd", fd.Name())); err == nil && want[link] {
				return pid, nil
			}
		}
	}
	return 0, fmt.Errorf("no readable process holds the socket listening on port %d", port)
}

// tcpListen is the state column of a listening socket in /proc/net/tcp.
const tcpListen = "0A"

// listenInodes returns the inodes of the sockets listening on port in a /proc/net/tcp table.
func listenInodes(r io.Reader, port int) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	header := true
	for sc.Scan() {
		if header { // "sl local_address rem_address st ..."
			header = false
			continue
		}
		f := strings.Fields(sc.Text())
		if len(f) < 10 {
			return nil, errors.New("malformed socket table")
		}
		_, hexPort, ok := strings.Cut(f[1], ":")
		if !ok {
			return nil, errors.New("malformed socket table")
		}
		p, err := strconv.ParseUint(hexPort, 16, 16)
		if err != nil {
			return nil, errors.New("malformed socket table")
		}
		if int(p) == port && f[3] == tcpListen && f[9] != "0" {
			out = append(out, f[9])
		}
	}
	return out, sc.Err()
}
