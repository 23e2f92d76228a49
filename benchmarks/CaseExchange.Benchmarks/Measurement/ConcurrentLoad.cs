using System.Diagnostics;

namespace CaseExchange.Benchmarks.Measurement;

/// <summary>What a closed-loop run measured: operations completed inside the window, their latencies, the failures.</summary>
public sealed record LoadResult(string Name, int Workers, TimeSpan Window, long Completed, long Failed, double PerSecond,
    double MeanMs, double P50Ms, double P99Ms, string? FirstError, CpuSample? Cpu)
{
    public override string ToString() =>
        $"{Name}: {PerSecond:F1}/s with {Workers} workers ({Completed} in {Window.TotalSeconds:F0} s, {Failed} failed), " +
        $"latency mean {MeanMs:F2} ms, p50 {P50Ms:F2} ms, p99 {P99Ms:F2} ms" +
        (Cpu is { } cpu && Completed > 0
            ? $"; CPU per operation: service process {cpu.Service.TotalMilliseconds / Completed:F2} ms + PostgreSQL {cpu.Postgres.TotalMilliseconds / Completed:F2} ms"
            : "") +
        (FirstError is null ? "" : $"; first error: {FirstError}");
}

/// <summary>
/// A closed-loop load: N workers each run one operation after another for a warm-up and then a fixed window.
/// Only operations that end inside the window count, and their latencies give p50 and p99. BenchmarkDotNet measures
/// one operation at a time; throughput under 16 concurrent clients, with their queueing, is what this measures instead.
/// </summary>
public static class ConcurrentLoad
{
    public static async Task<LoadResult> RunAsync(string name, int workers, TimeSpan warmUp, TimeSpan window,
        Func<int, long, Task> operation, CpuMeter? meter = null)
    {
        var start = Stopwatch.GetTimestamp();
        var from = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var to = from + (long)(window.TotalSeconds * Stopwatch.Frequency);
        static TimeSpan Until(long timestamp) => TimeSpan.FromSeconds(Math.Max(0, timestamp - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
        CpuSample? atStart = null, atEnd = null;
        var sampling = meter is null ? Task.CompletedTask : Task.Run(async () =>
        {
            await Task.Delay(Until(from));
            atStart = meter.Sample();
            await Task.Delay(Until(to));
            atEnd = meter.Sample();
        });
        var latencies = new List<long>[workers];
        var failed = new long[workers];
        string? firstError = null;

        var loops = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var mine = new List<long>(8192);
            for (long iteration = 0; ; iteration++)
            {
                var began = Stopwatch.GetTimestamp();
                if (began >= to) break;
                var ok = true;
                try
                {
                    await operation(worker, iteration);
                }
                catch (Exception e)
                {
                    ok = false;
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
                var ended = Stopwatch.GetTimestamp();
                if (ended < from || ended >= to) continue;
                if (ok) mine.Add(ended - began);
                else failed[worker]++;
            }
            latencies[worker] = mine;
        })).ToArray();
        await Task.WhenAll(loops);
        await sampling;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? double.NaN : Ms(all[Math.Clamp((int)Math.Ceiling(p * all.Length) - 1, 0, all.Length - 1)]);
        return new LoadResult(name, workers, window, all.Length, failed.Sum(), all.Length / window.TotalSeconds,
            all.Length == 0 ? double.NaN : all.Average(Ms), Percentile(0.50), Percentile(0.99), firstError,
            atStart is { } a && atEnd is { } b ? b - a : null);
    }
}

/// <summary>Wall-clock timing of one-shot work: the median of a few runs, each prepared outside the timing.</summary>
public static class Timing
{
    public static async Task<TimeSpan> MedianAsync(int runs, Func<Task> measured, Func<Task>? before = null)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            if (before is not null) await before();
            var watch = Stopwatch.StartNew();
            await measured();
            times.Add(watch.Elapsed);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    public static async Task<TimeSpan> OnceAsync(Func<Task> measured)
    {
        var watch = Stopwatch.StartNew();
        await measured();
        return watch.Elapsed;
    }
}
