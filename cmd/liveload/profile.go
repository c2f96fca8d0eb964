package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// profiler fetches the server's CPU profile over a span, and its heap profile on demand.
type profiler struct {
	t    *target
	cpu  string
	heap string
	tool string // this process's own CPU profile
	done chan error
}

// startCPU begins a CPU profile of d; finish waits for it and writes it out.
func (p *profiler) startCPU(ctx context.Context, d time.Duration) error {
	if p.cpu == "" {
		return nil
	}
	p.done = make(chan error, 1)
	if p.t.Self {
		f, err := os.Create(p.cpu)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		go func() {
			select {
			case <-time.After(d):
			case <-ctx.Done():
			}
			pprof.StopCPUProfile()
			p.done <- f.Close()
		}()
		return nil
	}
	if p.t.PProf == "" {
		return fmt.Errorf("-cpuprofile needs -spawn, -inprocess or -pprof")
	}
	secs := max(1, int(d.Round(time.Second)/time.Second))
	go func() {
		body, err := get(ctx, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", p.t.PProf, secs))
		if err == nil {
			err = os.WriteFile(p.cpu, []byte(body), 0o644)
		}
		p.done <- err
	}()
	return nil
}

func (p *profiler) finishCPU() error {
	if p.done == nil {
		return nil
	}
	return <-p.done
}

// writeHeap writes the server's heap profile (after a GC).
func (p *profiler) writeHeap(ctx context.Context) error {
	if p.heap == "" {
		return nil
	}
	if p.t.Self {
		runtime.GC()
		f, err := os.Create(p.heap)
		if err != nil {
			return err
		}
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	if p.t.PProf == "" {
		return fmt.Errorf("-heapprofile needs -spawn, -inprocess or -pprof")
	}
	body, err := get(ctx, p.t.PProf+"/debug/pprof/heap?gc=1")
	if err != nil {
		return err
	}
	return os.WriteFile(p.heap, []byte(body), 0o644)
}

// startTool begins the CPU profile of the tool itself; the function it returns ends it.
func (p *profiler) startTool() (func() error, error) {
	if p.tool == "" {
		return func() error { return nil }, nil
	}
	f, err := os.Create(p.tool)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}
