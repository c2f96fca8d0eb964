package main

import (
	"fmt"
	"math"
	"os"
	"os/user"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuSample is CPU time so far, in clock ticks (USER_HZ, 100 a second on Linux): the machine's
// busy and total time from /proc/stat, and this process's and the server's from /proc/<pid>/stat.
type cpuSample struct {
	at          time.Time
	busy, total uint64
	self, srv   uint64
	others, db  uint64
}

// cpuUse is the CPU used over the typing, in cores.
type cpuUse struct {
	Server float64 `json:"server_cores"`
	// With several instances: the others', and the database server's (-other-pids, -db-user).
	OtherInstances float64 `json:"other_instances_cores,omitempty"`
	Database       float64 `json:"database_cores,omitempty"`
	Tool           float64 `json:"tool_cores"`
	Machine        float64 `json:"machine_busy_cores"`
	Others         float64 `json:"other_processes_cores"`
	Cores          int     `json:"cores"`
}

const userHZ = 100

func readCPU(t *target) (cpuSample, bool) {
	s := cpuSample{at: time.Now()}
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s, false
	}
	line, _, _ := strings.Cut(string(data), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return s, false
	}
	for i, v := range f[1:] {
		n, _ := strconv.ParseUint(v, 10, 64)
		s.total += n
		if i != 3 && i != 4 { // idle, iowait
			s.busy += n
		}
	}
	s.self = procTicks(os.Getpid())
	if t.PID > 0 && !t.Self {
		s.srv = procTicks(t.PID)
	}
	for _, pid := range t.Others {
		s.others += procTicks(pid)
	}
	if t.WatchDB && !t.Self {
		s.db = userTicks(t.DBUID)
	}
	return s, true
}

// cpuWatch reads -other-pids and -db-user.
func cpuWatch(cfg config) ([]int, int, error) {
	var pids []int
	for _, f := range strings.FieldsFunc(cfg.OtherPIDs, func(r rune) bool { return r == ',' }) {
		pid, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || pid <= 0 {
			return nil, 0, fmt.Errorf("-other-pids: %q is not a process id", f)
		}
		pids = append(pids, pid)
	}
	if cfg.DBUser == "" {
		return pids, -1, nil
	}
	u, err := user.Lookup(cfg.DBUser)
	if err != nil {
		return nil, 0, fmt.Errorf("-db-user: %w", err)
	}
	uid, err := strconv.Atoi(u.Uid)
	return pids, uid, err
}

// userTicks is the CPU time of every process of a user (a database server's backends come and
// go with its connections).
func userTicks(uid int) uint64 {
	dir, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var n uint64
	for _, e := range dir {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if info, err := os.Stat("/proc/" + e.Name()); err == nil {
			if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) == uid {
				n += procTicks(pid)
			}
		}
	}
	return n
}

// procTicks is a process's user and system time, in clock ticks.
func procTicks(pid int) uint64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	_, rest, ok := strings.Cut(string(data), ") ") // the command name may hold spaces
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseUint(f[11], 10, 64)
	s, _ := strconv.ParseUint(f[12], 10, 64)
	return u + s
}

func cpuBetween(a, b cpuSample, t *target) *cpuUse {
	secs := b.at.Sub(a.at).Seconds()
	if secs <= 0 || b.total <= a.total {
		return nil
	}
	cores := runtime.NumCPU()
	ticks := func(x, y uint64) float64 { return round2(float64(y-x) / userHZ / secs) }
	u := &cpuUse{Cores: cores, Tool: ticks(a.self, b.self),
		Machine: round2(float64(b.busy-a.busy) / float64(b.total-a.total) * float64(cores))}
	if !t.Self {
		u.Server = ticks(a.srv, b.srv)
		u.OtherInstances = ticks(a.others, b.others)
		if b.db >= a.db {
			u.Database = ticks(a.db, b.db)
		}
	}
	u.Others = round2(max(0, u.Machine-u.Tool-u.Server-u.OtherInstances-u.Database))
	return u
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
