using JasperFx.CommandLine;

namespace CaseExchange.Hosting;

public sealed class PregenerateInput : NetCoreInput
{
    [Description("Folder to write the generated classes to (replaced whole)")]
    public string DirectoryFlag { get; set; } = PregeneratedCode.Folder;

    [Description("Write nothing: exit non-zero when the folder does not hold exactly the code generated now")]
    public bool CheckFlag { get; set; }
}

/// <summary>
/// Writes Wolverine's generated code (every endpoint and message handler) for compilation into the service:
/// <c>eng/pregenerate.sh</c>, run from the repository, after adding or changing an endpoint or a middleware. Needs no
/// database: the host is built, not started.
/// </summary>
[Description("Write (or check) the pre-generated Wolverine code compiled into the service", Name = "pregenerate")]
public sealed class PregenerateVerb : JasperFxCommand<PregenerateInput>
{
    public override bool Execute(PregenerateInput input)
    {
        using var host = input.BuildHost();
        var code = host.Services.GetRequiredService<PregeneratedCode>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = code.InitializeAll(host.Services);
        var elapsed = clock.ElapsedMilliseconds;
        var directory = Path.GetFullPath(input.DirectoryFlag);
        var wanted = outcomes.ToDictionary(o => o.FileName + ".cs", o => o.Code, StringComparer.Ordinal);
        var present = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

        var differing = wanted.Where(w => !present.TryGetValue(w.Key, out var text) || text != w.Value).Select(w => w.Key)
            .Concat(present.Keys.Where(p => !wanted.ContainsKey(p)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (input.CheckFlag)
        {
            foreach (var file in differing) Console.WriteLine($"not current: {file}");
            Console.WriteLine($"{wanted.Count} generated classes ({elapsed} ms), {differing.Count} not current in {directory}");
            return differing.Count == 0;
        }

        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        foreach (var (file, text) in wanted) File.WriteAllText(Path.Combine(directory, file), text);
        Console.WriteLine($"{wanted.Count} generated classes written to {directory} ({differing.Count} changed); build again to compile them in.");
        return true;
    }
}
