using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CaseExchange.Benchmarks.Measurement;

/// <summary>CPU time consumed so far by this process, by the run's PostgreSQL cluster, and by this process's exited children (pgbench).</summary>
public readonly record struct CpuSample(TimeSpan Service, TimeSpan Postgres, TimeSpan Children)
{
    public static CpuSample operator -(CpuSample a, CpuSample b) => new(a.Service - b.Service, a.Postgres - b.Postgres, a.Children - b.Children);
}

/// <summary>
/// On a 2-core machine, throughput is CPU: what one operation costs the service process and PostgreSQL says where a figure's
/// time goes better than any latency. PostgreSQL's share is the postmaster's, its live backends', and the backends it reaped.
/// </summary>
public sealed class CpuMeter(string? dataDirectory)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public CpuSample Sample() => new(Process.GetCurrentProcess().TotalProcessorTime, PostgresCpu(), ChildrenCpu());

    private TimeSpan PostgresCpu()
    {
        if (dataDirectory is null || !OperatingSystem.IsLinux()) return TimeSpan.Zero;
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster)) return TimeSpan.Zero;
        double ticks = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            var fields = Stat(pid);
            if (fields is null) continue;
            // Fields after the command: [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime.
            if (pid == postmaster) ticks += fields[11] + fields[12] + fields[13] + fields[14];
            else if (fields[1] == postmaster) ticks += fields[11] + fields[12];
        }
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static long[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var afterCommand = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return [.. afterCommand.Select(f => long.TryParse(f, out var v) ? v : 0)];
        }
        catch (IOException)
        {
            return null; // the process ended meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static TimeSpan ChildrenCpu()
    {
        if (!OperatingSystem.IsLinux() || GetResourceUsage(-1 /* RUSAGE_CHILDREN */, out var usage) != 0) return TimeSpan.Zero;
        return TimeSpan.FromSeconds(usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)] public long[] Rest;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);
}
