using CaseExchange.Hosting;
using CaseExchange.Http;
using JasperFx.CommandLine;
using Npgsql;

namespace CaseExchange.Journal.Anchors;

public sealed class JournalAnchorsInput : NetCoreInput
{
    [Description("Code of the council whose checkpoint hashes are exported or compared")]
    public string Council { get; set; } = "";

    [FlagAlias("compare")]
    [Description("A list exported earlier: compare it with the database instead of exporting")]
    public string? CompareFlag { get; set; }

    [FlagAlias("output")]
    [Description("Write the export to this file instead of the standard output")]
    public string? OutputFlag { get; set; }
}

/// <summary>
/// <c>journal-anchors &lt;council&gt;</c> prints the list of checkpoint hashes to keep outside the database;
/// <c>journal-anchors &lt;council&gt; --compare list.txt</c> compares such a list with the database and exits non-zero
/// if a checkpoint of the list is missing, altered or moved.
/// </summary>
[Description("Export a council's journal checkpoint hashes, or compare an exported list with the database", Name = "journal-anchors")]
public sealed class JournalAnchorsVerb : JasperFxAsyncCommand<JournalAnchorsInput>
{
    public JournalAnchorsVerb()
    {
        Usage("Export the checkpoint hashes").Arguments(x => x.Council).ValidFlags(x => x.OutputFlag);
        Usage("Compare an exported list with the database").Arguments(x => x.Council).ValidFlags(x => x.CompareFlag);
    }

    public override async Task<bool> Execute(JournalAnchorsInput input)
    {
        using var host = input.BuildHost();
        try
        {
            // Outside the running service nothing has created the schema yet (a fresh database reads as empty).
            await host.Services.GetRequiredService<Marten.IDocumentStore>().Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
            var stored = await JournalAnchors.ReadAsync(dataSource, input.Council, CancellationToken.None);
            if (input.CompareFlag is not { Length: > 0 } path)
            {
                var text = JournalAnchors.Export(input.Council, host.Services.GetRequiredService<TimeProvider>().GetUtcNow(), stored);
                if (input.OutputFlag is { Length: > 0 } output) await File.WriteAllTextAsync(output, text);
                else Console.Write(text);
                return true;
            }

            if (!JournalAnchors.TryParse(await File.ReadAllTextAsync(path), out var exported, out var error))
            {
                Console.Error.WriteLine(error);
                return false;
            }
            var comparison = JournalAnchors.Compare(input.Council, exported, stored);
            Console.WriteLine(Describe(comparison));
            return comparison.Matches;
        }
        finally
        {
            if (host.Services.GetService<EmbeddedPostgres>() is { } embedded) await embedded.DisposeAsync();
        }
    }

    public static string Describe(AnchorComparison comparison)
    {
        var lines = new List<string>
        {
            $"Council:          {comparison.Council}",
            $"Compared:         {comparison.Compared} checkpoints of the list ({comparison.DatabaseCount} in the database, {comparison.NewSinceExport} sealed since)",
            comparison.Matches ? "Result:           MATCHES" : $"Result:           DIFFERS ({comparison.Differences.Count} checkpoints)",
        };
        foreach (var d in comparison.Differences)
            lines.Add($"  {d.Kind,-10} #{d.Sequence}: expected {d.ExpectedHash}, found {(d.FoundHash ?? "nothing")}" +
                      (d.FoundAtSequence is { } at ? $" (the expected hash is at #{at})" : ""));
        return string.Join(Environment.NewLine, lines);
    }
}
