using System.Text.Json;
using CaseExchange.Demo;
using CaseExchange.Tests.Infrastructure;

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
        var situations = await service.GetJsonAsync<JsonElement>("membre.education", $"{api}/situations");
        Assert.Equal(3, situations.GetProperty("totalCount").GetInt64());
        var file = await service.PostJsonAsync<JsonElement>("membre.education",
            $"{api}/situations/{situations.GetProperty("items")[0].GetProperty("situationId").GetGuid()}/file-openings", new { purpose = "suivi" });
        Assert.Contains("fictif", file.GetProperty("facts").GetString());

        // Today's séance of the territorial group has its ODJ ready to be conducted.
        var groups = await service.GetJsonAsync<JsonElement>("coordo.demo", $"{api}/groups");
        var territorial = groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "GT Fontbarlettes").GetProperty("groupId").GetGuid();
        var seances = await service.GetJsonAsync<JsonElement>("coordo.demo", $"{api}/groups/{territorial}/seances");
        Assert.Equal(2, seances.GetArrayLength());
        var onAgenda = situations.GetProperty("items").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "inscrite-odj");
        Assert.Equal(2, onAgenda);

        // Seeded once: a restart on the same database adds nothing.
        await using var restarted = await TestService.StartAsync(database, settings: new Dictionary<string, string?> { ["Demo:Seed"] = "true" });
        Assert.Equal(3, (await restarted.GetJsonAsync<JsonElement>("membre.education", $"{api}/situations")).GetProperty("totalCount").GetInt64());
    }
}
