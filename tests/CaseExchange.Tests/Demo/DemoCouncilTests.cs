using System.Text.Json;
using CaseExchange.Demo;
using CaseExchange.Situations.Referral;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Demo;

public sealed class DemoCouncilTests
{
    [Fact]
    public async Task The_demo_council_lets_a_newcomer_try_every_journey_at_once()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("demo");
        await using var service = await TestService.StartAsync(database, settings: new Dictionary<string, string?> { ["Demo:Seed"] = "true" });
        var api = $"/api/councils/{DemoCouncil.Code}";

        foreach (var member in DemoCouncil.Members)
        {
            var me = await service.GetJsonAsync<JsonElement>(member.Subject, $"{api}/me");
            Assert.Equal(member.Signed, me.GetProperty("charterSigned").GetBoolean());
        }
        var situations = await service.GetJsonAsync<JsonElement>("membre.education", $"{api}/situations?pageSize=100");
        Assert.Equal(Seeded, situations.GetProperty("totalCount").GetInt64());
        var file = await service.PostJsonAsync<JsonElement>("membre.education",
            $"{api}/situations/{situations.GetProperty("items")[0].GetProperty("situationId").GetGuid()}/file-openings", new { purpose = "suivi" });
        Assert.Contains("fictif", file.GetProperty("facts").GetString());

        // Today's séance of the territorial group has its ODJ ready to be conducted.
        var groups = await service.GetJsonAsync<JsonElement>("coordo.demo", $"{api}/groups");
        var territorial = groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "GT Fontbarlettes").GetProperty("groupId").GetGuid();
        var seances = await service.GetJsonAsync<JsonElement>("coordo.demo", $"{api}/groups/{territorial}/seances");
        // Today's and next week's, open; the year's past séances, held and closed.
        Assert.Equal(2, seances.EnumerateArray().Count(s => !s.GetProperty("closed").GetBoolean()));
        Assert.True(seances.EnumerateArray().Count(s => s.GetProperty("closed").GetBoolean()) >= 3);
        var onAgenda = situations.GetProperty("items").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "inscrite-odj");
        Assert.Equal(2, onAgenda);

        // Seeded once: a restart on the same database adds nothing.
        await using var restarted = await TestService.StartAsync(database, settings: new Dictionary<string, string?> { ["Demo:Seed"] = "true" });
        Assert.Equal(Seeded, (await restarted.GetJsonAsync<JsonElement>("membre.education", $"{api}/situations")).GetProperty("totalCount").GetInt64());

        // A year behind it: the président's page, on its default period (the last twelve closed months), shows figures.
        var statistics = await service.GetJsonAsync<CaseExchange.Statistics.StatisticsReport>("president.maire", $"{api}/statistics");
        Assert.True(statistics.Situations >= DemoYear.Count - 1, $"{statistics.Situations} situations in the default period");
        Assert.Contains(statistics.Tables.SelectMany(t => t.Cells), c => c.Count >= 5);
        Assert.NotNull(statistics.MedianDaysToFirstExamination);
        using var president = await service.PageClientAsync("president.maire");
        var page = System.Net.WebUtility.HtmlDecode(await president.GetStringAsync($"/c/{DemoCouncil.Code}/statistiques", TestContext.Current.CancellationToken));
        Assert.Contains("table--statistics", page);
        Assert.Contains("Situations par motif de signalement", page);
        Assert.DoesNotContain("Vous n'avez pas signé la charte déontologique en vigueur.", page);

        // An intercommunal council: the président reads the figures per commune; the maire of the second commune, his own only.
        var communes = statistics.Communes!.Cells.ToDictionary(c => c.Code);
        Assert.Equal([DemoCouncil.Bourg, DemoCouncil.Valence], communes.Keys.Order(StringComparer.Ordinal));
        Assert.True(communes[DemoCouncil.Bourg].Count >= 5, $"{communes[DemoCouncil.Bourg].Count} situations in {DemoCouncil.Bourg}");
        var maire = DemoCouncil.Members.Single(m => m.MaireOf is not null);
        var own = await service.GetJsonAsync<CaseExchange.Statistics.StatisticsReport>(maire.Subject, $"{api}/statistics");
        Assert.Equal(DemoCouncil.Bourg, own.Commune);
        Assert.Equal(communes[DemoCouncil.Bourg].Count, own.Situations);
        Assert.Equal([DemoCouncil.BourgSector], own.Tables.Single(t => t.Code == CaseExchange.Statistics.StatisticsTables.Sectors).Cells.Select(c => c.Code));
        await Answers.ProblemAsync(await service.GetAsync(maire.Subject, $"{api}/situations"), 403);
        using var maireClient = await service.PageClientAsync(maire.Subject);
        var mairePage = System.Net.WebUtility.HtmlDecode(await maireClient.GetStringAsync($"/c/{DemoCouncil.Code}/statistiques", TestContext.Current.CancellationToken));
        Assert.Contains($"Vous êtes désigné(e) maire de {DemoCouncil.Bourg}", mairePage);
        Assert.Contains("table--statistics", mairePage);
        Assert.DoesNotContain("Fontbarlettes", mairePage);
        Assert.DoesNotContain("Situations par commune", mairePage);
    }

    /// <summary>The three situations of the day's work, and the year behind them.</summary>
    private const long Seeded = 3 + DemoYear.Count;

    private static readonly Dictionary<string, string?> Seed = new() { ["Demo:Seed"] = "true" };

    private static async Task<(long Members, long Situations, long Events)> CountAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (select count(*) from caseexchange.mt_streams where tenant_id = 'demo' and type = 'member'), " +
            "(select count(*) from caseexchange.mt_streams where tenant_id = 'demo' and type = 'situation'), " +
            "(select count(*) from caseexchange.mt_events where tenant_id = 'demo')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    [Fact]
    public async Task A_seed_that_fails_part_way_leaves_nothing_and_the_next_start_seeds_the_whole_council()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("demopanne");
        // The pseudonym sequence refuses the service: the seed fails after the council and its members are staged.
        var wrongPassword = new NpgsqlConnectionStringBuilder(database) { Password = "mot-de-passe-refuse" }.ConnectionString;
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var failed = await TestService.StartAsync(database, settings: Seed,
                services: s => s.AddSingleton(new Pseudonyms(NpgsqlDataSource.Create(wrongPassword))));
        });
        Assert.Equal((0, 0, 0), await CountAsync(database));

        await using var service = await TestService.StartAsync(database, settings: Seed);
        Assert.Equal((DemoCouncil.Members.Count, Seeded), ((await CountAsync(database)).Members, (await CountAsync(database)).Situations));
    }

    [Fact]
    public async Task Three_nodes_started_together_on_an_empty_database_all_start_and_seed_the_council_once()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("demotrois");
        var nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => TestService.StartAsync(database, settings: Seed)));
        try
        {
            var (members, situations, _) = await CountAsync(database);
            Assert.Equal(DemoCouncil.Members.Count, members);
            Assert.Equal(Seeded, situations);
            foreach (var node in nodes)
                Assert.Equal(Seeded, (await node.GetJsonAsync<JsonElement>("membre.education", $"/api/councils/{DemoCouncil.Code}/situations"))
                    .GetProperty("totalCount").GetInt64());
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
