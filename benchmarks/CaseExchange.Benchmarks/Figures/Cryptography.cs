using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CaseExchange.Benchmarks.Measurement;
using Perfolizer.Horology;

namespace CaseExchange.Benchmarks.Figures;

/// <summary>Runs <see cref="PerEventCryptography"/> with BenchmarkDotNet, in this process (where the service runs), short job.</summary>
public static class Cryptography
{
    public static IReadOnlyDictionary<string, (double MeanNs, long AllocatedBytes)> Run(IServiceProvider services, RunSettings settings, string artifacts, Report report)
    {
        PerEventCryptography.Services = services;
        var job = (settings.Quick ? Job.Dry : Job.ShortRun.WithIterationTime(TimeInterval.FromMilliseconds(250)))
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId("ShortRun-InProcess");
        var log = new AccumulationLogger();
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(settings.Verbose ? ConsoleLogger.Default : log)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(artifacts, "BenchmarkDotNet"));
        var summary = BenchmarkRunner.Run<PerEventCryptography>(config);
        File.WriteAllText(Path.Combine(artifacts, "BenchmarkDotNet", "log.txt"), log.GetLog());

        var results = new Dictionary<string, (double, long)>();
        foreach (var benchmark in summary.Reports)
        {
            var name = benchmark.BenchmarkCase.Descriptor.WorkloadMethod.Name;
            if (benchmark.ResultStatistics is not { } statistics)
                throw new InvalidOperationException($"BenchmarkDotNet produced no result for {name}; see {Path.Combine(artifacts, "BenchmarkDotNet", "log.txt")}");
            var allocated = benchmark.GcStats.GetBytesAllocatedPerOperation(benchmark.BenchmarkCase) ?? 0;
            results[name] = (statistics.Mean, allocated);
            report.Detail($"BenchmarkDotNet, {benchmark.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo}: {statistics.Mean / 1000:F2} µs " +
                          $"(± {statistics.StandardError / 1000:F2}), {allocated} B allocated");
        }
        return results;
    }
}
