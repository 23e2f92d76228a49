using CaseExchange.Councils;
using CaseExchange.Seances;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Hosting;

public sealed class ProjectionRebuildFixture : CouncilFixture
{
    // Rebuilding a projection rewrites its documents for every council of the database: a database of its own.
    protected override bool OwnHost => true;
}

/// <summary>
/// Rebuilding every projection from the events (as an operator would after a projection changes, and as the benchmark's
/// figure 5b measures with the service's own rebuild settings) gives back exactly the documents the inline projections
/// wrote, and no clear nominative data.
/// </summary>
public sealed class ProjectionRebuildTests(ProjectionRebuildFixture fixture) : IClassFixture<ProjectionRebuildFixture>
{
    private static readonly (Type Type, string Table)[] Projections =
    [
        (typeof(Council), "mt_doc_council"), (typeof(Member), "mt_doc_member"), (typeof(Group), "mt_doc_group"),
        (typeof(Situation), "mt_doc_situation"), (typeof(Seance), "mt_doc_seance"),
    ];

    private TestService Service => fixture.Service;

    private async Task<Dictionary<string, string>> DocumentsAsync(string table)
    {
        var documents = new Dictionary<string, string>();
        await using var command = Service.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            $"select id::text, data::text from caseexchange.{table} where tenant_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = fixture.Council.Code });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) documents[reader.GetString(0)] = reader.GetString(1);
        return documents;
    }

    [Fact]
    public async Task Every_projection_rebuilt_from_the_events_equals_what_the_inline_projections_wrote()
    {
        var steps = fixture.Steps;
        var followed = await steps.FollowedUpAsync(fixture.Council.Referent);
        var closed = await steps.ClosedAsync();
        await steps.ReferredAsync();
        await steps.ExaminedAsync();
        await steps.NewMemberAsync();
        await steps.NewGroupAsync();

        var inline = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (_, table) in Projections) inline[table] = await DocumentsAsync(table);
        Assert.True(inline["mt_doc_situation"].Count >= 4);
        Assert.Contains(followed.Situation.ToString(), inline["mt_doc_situation"].Keys);
        Assert.Contains(closed.ToString(), inline["mt_doc_situation"].Keys);

        // A rebuild that wrote nothing would leave this altered document in place and fail below.
        await using (var tamper = Service.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
                         "update caseexchange.mt_doc_situation set data = jsonb_set(data, '{Status}', '\"altéré\"') where id = $1"))
        {
            tamper.Parameters.Add(new NpgsqlParameter { Value = closed });
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        using (var daemon = await Service.Store.BuildProjectionDaemonAsync())
            foreach (var (type, _) in Projections)
                await daemon.RebuildProjectionAsync(type, TimeSpan.FromMinutes(2), CancellationToken.None);

        var leakables = new[] { "Zorglubovitch", "Philomène", "Quetzals", "Faits fictifs", "Échanges fictifs", "Détail fictif", "Action fictive", "Clôture fictive" };
        foreach (var (_, table) in Projections)
        {
            var rebuilt = await DocumentsAsync(table);
            Assert.Equal(inline[table].Keys.Order(), rebuilt.Keys.Order());
            foreach (var (id, data) in inline[table])
                Assert.True(data == rebuilt[id], $"{table} {id} differs after the rebuild:\n{data}\n{rebuilt[id]}");
            foreach (var data in rebuilt.Values)
                Assert.DoesNotContain(leakables, leakable => data.Contains(leakable, StringComparison.Ordinal));
        }
    }
}
