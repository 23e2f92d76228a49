using System.Text;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Journal;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CaseExchange.Tests.Journal;

public sealed class ReplayFixture : JournalFixture
{
    // Starts at the real time (tokens are checked against it) and moves only when a test moves it, a little at each read.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(5) };

    protected override FakeTimeProvider? Clock => _clock;
    protected override string Code => "rejeu";
}

/// <summary>Auditors replay the journal: was the accessor entitled at that instant, rebuilt from the event store?</summary>
public sealed class ReplayTests(ReplayFixture fixture) : IClassFixture<ReplayFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private FakeTimeProvider Clock => Service.Clock!;

    private async Task<JsonElement[]> EntriesAsync(string query)
    {
        var page = await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/entries?pageSize=200&{query}");
        // Oldest first reads like a story. The retention sweep runs as the clock advances, and its own checks (birth dates
        // decrypted for the age limit) are journalled as the service's: not the accesses these tests replay.
        return [.. page.GetProperty("items").EnumerateArray().Reverse().Where(e => e.GetProperty("action").GetString() != JournalActions.ServerCheck)];
    }

    private static string VerdictOf(JsonElement entry) => entry.GetProperty("replay").GetProperty("verdict").GetString()!;

    private static string[] ReasonsOf(JsonElement entry) =>
        [.. entry.GetProperty("replay").GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];

    private Task<AccessJournalled> CraftAsync(Guid situationId, string pseudonym, string subject, bool granted, string? refusal = null) =>
        Service.Services.GetRequiredService<AccessJournal>().AppendAsync(Council.Code, new JournalRequest(
            JournalActions.FileOpening, situationId, pseudonym, Council.Id(subject), subject, "suivi", null, null, granted, refusal));

    [Fact]
    public async Task An_access_while_entitled_is_legitimate_on_replay()
    {
        var (id, pseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("Legitime"), "Faits Legitime");
        Clock.Advance(TimeSpan.FromMinutes(3));
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id), 200);

        var entry = Assert.Single(await EntriesAsync($"pseudonym={pseudonym}"));
        Assert.Equal("legitime", VerdictOf(entry));
        Assert.True(entry.GetProperty("replay").GetProperty("entitledAtThatInstant").GetBoolean());
        Assert.Empty(ReasonsOf(entry));
    }

    [Fact]
    public async Task An_entry_granted_to_members_who_were_not_entitled_is_flagged_with_the_rule_they_failed()
    {
        var (id, pseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("Bogue"), "Faits Bogue");
        Clock.Advance(TimeSpan.FromMinutes(3));
        // As a bug would have done: a well-formed, correctly chained entry granting access to the wrong people.
        await CraftAsync(id, pseudonym, Council.MemberOfOtherGroup, granted: true);
        await CraftAsync(id, pseudonym, Council.UnsignedMember, granted: true);

        var entries = await EntriesAsync($"pseudonym={pseudonym}");
        Assert.Equal(2, entries.Length);
        Assert.All(entries, e => Assert.Equal("signale", VerdictOf(e)));
        Assert.All(entries, e => Assert.Contains("accorde-sans-droit", ReasonsOf(e)));
        Assert.Equal([Refusals.NotInHoldingGroup, Refusals.CharterNotSigned],
            entries.Select(e => e.GetProperty("replay").GetProperty("entitlementRefusal").GetString()));

        // The journal itself is intact: the breach is in what was granted, not in the record of it.
        var verification = await Service.PostJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/verifications", null);
        Assert.True(verification.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task An_access_before_a_removal_stays_legitimate_and_after_it_is_refused_and_any_grant_flagged()
    {
        var subject = $"{Council.Code}.partante";
        var member = (await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members",
            new { subject, displayName = "Membre partante", organisation = "Association", function = "Éducatrice", councilRoles = Array.Empty<string>() },
            201)).GetProperty("memberId").GetGuid();
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups/{Council.GroupA}/members", new { memberId = member, role = "membre" });
        await Service.PostJsonAsync<JsonElement>(subject, $"{Council.Api}/charter/signatures", new { version = "2026.1" });
        var (id, pseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("Retrait"), "Faits Retrait");

        Clock.Advance(TimeSpan.FromMinutes(5));
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, subject, id), 200);
        Clock.Advance(TimeSpan.FromMinutes(4));
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Delete, $"{Council.Api}/groups/{Council.GroupA}/members/{member}"), 200);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await Answers.ProblemAsync(await Service.OpenFileAsync(Council, subject, id), 403);
        await Service.Services.GetRequiredService<AccessJournal>().AppendAsync(Council.Code,
            new JournalRequest(JournalActions.FileOpening, id, pseudonym, member, subject, "suivi", null, null, Granted: true, Refusal: null), TestContext.Current.CancellationToken);

        var entries = await EntriesAsync($"memberId={member}");
        Assert.Equal(3, entries.Length);
        var (before, refused, crafted) = (entries[0], entries[1], entries[2]);
        Assert.Equal(("legitime", true), (VerdictOf(before), before.GetProperty("replay").GetProperty("entitledAtThatInstant").GetBoolean()));
        Assert.False(refused.GetProperty("granted").GetBoolean());
        Assert.Equal("legitime", VerdictOf(refused));
        Assert.Equal(Refusals.NotInHoldingGroup, refused.GetProperty("replay").GetProperty("entitlementRefusal").GetString());
        Assert.Equal("signale", VerdictOf(crafted));
        Assert.Equal(["accorde-sans-droit"], ReasonsOf(crafted));
    }

    [Fact]
    public async Task A_refusal_of_someone_entitled_is_noted_for_the_auditor()
    {
        var (id, pseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("Note"), "Faits Note");
        Clock.Advance(TimeSpan.FromMinutes(1));
        await CraftAsync(id, pseudonym, Council.MemberOfHoldingGroup, granted: false, refusal: JournalFailures.KeyUnavailable);

        var entry = Assert.Single(await EntriesAsync($"pseudonym={pseudonym}"));
        Assert.Equal("a-noter", VerdictOf(entry));
        Assert.Equal(["echec-technique"], ReasonsOf(entry));
    }

    [Fact]
    public async Task The_auditor_filters_by_member_pseudonym_and_period_and_exports_the_same_rows()
    {
        var (first, firstPseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("FiltreUn"), "Faits FiltreUn");
        var (second, secondPseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("FiltreDeux"), "Faits FiltreDeux");
        Clock.Advance(TimeSpan.FromHours(1));
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.Referent, first), 200);
        Clock.Advance(TimeSpan.FromHours(1));
        var middle = Clock.GetUtcNow();
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.Animateur, second), 200);
        Clock.Advance(TimeSpan.FromHours(1));
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.Referent, second), 200);

        var referent = Council.Id(Council.Referent);
        Assert.Equal([firstPseudonym, secondPseudonym], (await EntriesAsync($"memberId={referent}")).Select(e => e.GetProperty("pseudonym").GetString()));
        Assert.Equal(2, (await EntriesAsync($"pseudonym={secondPseudonym}")).Length);
        Assert.Single(await EntriesAsync($"memberId={referent}&pseudonym={secondPseudonym}"));
        var period = $"from={Uri.EscapeDataString(middle.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(middle.AddMinutes(1).ToString("O"))}";
        var inPeriod = Assert.Single(await EntriesAsync(period));
        Assert.Equal(Council.Id(Council.Animateur), inPeriod.GetProperty("memberId").GetGuid());

        var csv = await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/export?memberId={referent}");
        await Answers.ExpectAsync(csv, 200);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains($";{firstPseudonym};", lines[1]);
        Assert.Contains($";{secondPseudonym};", lines[2]);
        Assert.All(lines[1..], line => Assert.Contains(";legitime;", line));
    }

    [Fact]
    public async Task Unreadable_filters_are_a_400_problem()
    {
        await Answers.ProblemAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/entries?from=hier"), 400);
        await Answers.ProblemAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/entries?memberId=quelqu-un"), 400);
    }
}
