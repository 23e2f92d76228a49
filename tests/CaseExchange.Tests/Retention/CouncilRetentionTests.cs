using System.Text.Json;
using CaseExchange.Retention;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CaseExchange.Tests.Retention;

/// <summary>A council's own charter version may keep data for less long than the deployment's: the sweep follows it.</summary>
public sealed class CouncilRetentionTests
{
    [Fact]
    public async Task A_council_that_keeps_archives_one_year_has_its_closed_situation_erased_after_one_year_not_three()
    {
        var start = DateTimeOffset.UtcNow;
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("retention-conseil");
        var clock = new FakeTimeProvider(start);
        await using var service = await TestService.StartAsync(database, clock, new Dictionary<string, string?> { ["Retention:Enabled"] = "false" });
        var council = await TestCouncil.CreateAsync(service, "retention-conseil");
        await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/charter/versions", new
        {
            version = "archive-un-an", charte = "Charte du conseil.", reglement = "Règlement du conseil.", inactiveArchiveYears = 1,
        });
        foreach (var subject in new[] { council.Coordonnateur, council.MemberOfHoldingGroup, council.Animateur, council.Referent })
            await service.PostJsonAsync<JsonElement>(subject, $"{council.Api}/charter/signatures", new { version = "archive-un-an" });
        var id = await new SituationSteps(service, council).ClosedAsync();

        var sweeper = service.Services.GetRequiredService<RetentionSweeper>();
        clock.SetUtcNow(start.AddYears(1).AddDays(-1));
        Assert.Equal(0, (await sweeper.SweepAsync()).Erased);
        clock.SetUtcNow(start.AddYears(1).AddHours(1));
        Assert.Equal(1, (await sweeper.SweepAsync()).Erased);
        var view = await service.GetJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{id}");
        Assert.True(view.GetProperty("nominativeDataErased").GetBoolean());
    }
}
