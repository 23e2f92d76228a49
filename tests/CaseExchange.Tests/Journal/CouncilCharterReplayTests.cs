using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Journal.Replay;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Journal;

public sealed class CouncilCharterReplayFixture : CouncilFixture;

/// <summary>Replay judges each entry with the council's charter version in force at its instant.</summary>
public sealed class CouncilCharterReplayTests(CouncilCharterReplayFixture fixture) : IClassFixture<CouncilCharterReplayFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_opening_for_a_purpose_dropped_later_stays_legitimate_and_one_made_after_the_drop_is_flagged()
    {
        var policy = Service.Services.GetRequiredService<CharterPolicy>();
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Rejeu"), "Faits fictifs rejeu");
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id, new { purpose = "transfert" }), 200);

        // The council's plenary drops the purpose; the member signs the new version.
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/charter/versions", new
        {
            version = "sans-transfert", charte = "Charte du conseil.", reglement = "Règlement du conseil.",
            lists = new Dictionary<string, string[]> { ["accessPurposes"] = [.. policy.AccessPurposes.Select(p => p.Code).Where(c => c != "transfert")] },
        });
        await Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/charter/signatures", new { version = "sans-transfert" });

        // Live, the dropped purpose is refused as incomplete.
        var refused = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id, new { purpose = "transfert" }), 400);
        Assert.True(refused.GetProperty("errors").TryGetProperty("purpose", out _));

        // The same grant recorded after the drop (as a defect would): flagged, while the original stays legitimate.
        var opened = (await Service.JournalAsync(Council.Code, id)).Single(e => e.Granted && e.Purpose == "transfert");
        var later = opened with { EntryId = Guid.NewGuid(), At = DateTimeOffset.UtcNow.AddSeconds(1) };
        await using var session = Service.Store.QuerySession(Council.Code);
        var verdicts = await Service.Services.GetRequiredService<AccessReplay>().JudgeAsync(session, [opened, later], Ct);
        Assert.Equal((ReplayVerdicts.Legitimate, 0), (verdicts[opened.EntryId].Verdict, verdicts[opened.EntryId].Reasons.Count));
        Assert.Equal(ReplayVerdicts.Flagged, verdicts[later.EntryId].Verdict);
        Assert.Equal([ReplayReasons.GrantedWithoutPurpose], verdicts[later.EntryId].Reasons);

        // The auditeur's journal, replayed now, still finds the original opening legitimate.
        var journal = await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/entries");
        var row = journal.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("entryId").GetGuid() == opened.EntryId);
        Assert.Equal(ReplayVerdicts.Legitimate, row.GetProperty("replay").GetProperty("verdict").GetString());
    }
}
