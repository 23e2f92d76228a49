using System.Text.Json;
using CaseExchange.Protection;
using CaseExchange.Tests.Infrastructure;
using Marten;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Protection;

public sealed class KeyRingRotationTests
{
    /// <summary>The Data Protection key id a wrapped situation key was made with (bytes 4–19 of the payload).</summary>
    private static async Task<Guid> WrappingKeyIdAsync(TestService service, string council, Guid situationId)
    {
        var wrapped = (await service.Services.GetRequiredService<SituationKeys>().LoadWrappedAsync(council, situationId))!;
        return new Guid(wrapped.AsSpan(4, 16));
    }

    [Fact]
    public async Task Rotating_the_key_ring_never_loses_access_to_older_situation_keys()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("rotation");
        TestCouncil council;
        Guid older;
        await using (var service = await TestService.StartAsync(database))
        {
            council = await TestCouncil.CreateAsync(service, "rotation");
            older = (await council.ReferAsync(service, TestPerson.Distinctive("Avant"), "Faits d'avant la rotation")).Id;
        }

        // 90 days later: the key that wrapped the older situation key has expired (its dates are outside the
        // encrypted descriptor). The next node rotates to a new default key.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var expire = new NpgsqlCommand(
                "update caseexchange.data_protection_keys set xml = regexp_replace(xml, '<expirationDate>[^<]*</expirationDate>', " +
                "'<expirationDate>' || to_char(now() - interval '1 day', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || '</expirationDate>')", connection);
            Assert.True(await expire.ExecuteNonQueryAsync() >= 1);
        }

        await using var rotated = await TestService.StartAsync(database);
        var newer = (await council.ReferAsync(rotated, TestPerson.Distinctive("Apres"), "Faits d'après la rotation")).Id;
        Assert.NotEqual(await WrappingKeyIdAsync(rotated, council.Code, older), await WrappingKeyIdAsync(rotated, council.Code, newer));
        Assert.True(rotated.Services.GetRequiredService<IKeyManager>().GetAllKeys().Count >= 2);

        foreach (var (id, text) in new[] { (older, "Faits d'avant la rotation"), (newer, "Faits d'après la rotation") })
        {
            var file = await rotated.PostJsonAsync<JsonElement>(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" });
            Assert.Equal(text, file.GetProperty("facts").GetString());
        }
    }

    [Fact]
    public async Task Two_nodes_share_one_key_ring()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("deuxnoeuds");
        await using var nodeA = await TestService.StartAsync(database);
        await using var nodeB = await TestService.StartAsync(database);
        var council = await TestCouncil.CreateAsync(nodeA, "deuxnoeuds");
        var (id, _) = await council.ReferAsync(nodeA, TestPerson.Distinctive("Noeud"), "Faits écrits par le nœud A");
        var file = await nodeB.PostJsonAsync<JsonElement>(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" });
        Assert.Equal("Faits écrits par le nœud A", file.GetProperty("facts").GetString());
    }
}
