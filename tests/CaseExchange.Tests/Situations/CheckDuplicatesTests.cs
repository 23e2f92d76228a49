using System.Net;
using System.Text.RegularExpressions;
using CaseExchange.Charter;
using CaseExchange.Journal;
using CaseExchange.Situations.Duplicates;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;

namespace CaseExchange.Tests.Situations;

public sealed class DuplicatesFixture : CouncilFixture;

/// <summary>
/// Duplicates that reveal nothing: the referring member is told of a situation of their own group (its pseudonym), the
/// coordonnateur of another group's (its name only), anyone else nothing — the same answer whether or not another group
/// holds the person. Every check is journalled on the council's chain before the answer.
/// </summary>
public sealed class CheckDuplicatesTests(DuplicatesFixture fixture) : IClassFixture<DuplicatesFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private string Url => $"{Council.Api}/duplicate-checks";

    private static object Identity(TestPerson person) => new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance };

    private async Task<string> BodyAsync(string subject, object body, int status = 200)
    {
        var response = await Service.PostAsync(subject, Url, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return text;
    }

    private Task<List<AccessJournalled>> CouncilChainAsync() => JournalTampering.EntriesAsync(Service, Council.Code, JournalChains.CouncilChainId);

    private static void HoldsNoIdentity(string text, TestPerson person)
    {
        foreach (var value in person.Leakables()) Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Replay_judges_a_check_and_a_search_on_the_council_chain_by_the_same_rules()
    {
        var policy = SituationHistory.Policy;
        var council = new CaseExchange.Councils.Council { CharterVersionInForce = policy.Version };
        var member = new CaseExchange.Councils.Member { Id = Guid.NewGuid(), Subject = "m", Active = true, SignedCharterVersions = [policy.Version] };
        var auditor = new CaseExchange.Councils.Member { Id = Guid.NewGuid(), Subject = "a", Active = true, SignedCharterVersions = [policy.Version], CouncilRoles = [Roles.Auditeur] };
        AccessJournalled Entry(string action, string purpose, CaseExchange.Councils.Member who) => AccessJournal.Entry("c",
            new JournalRequest(action, JournalChains.CouncilSituationId, JournalChains.CouncilPseudonym, who.Id, who.Subject, purpose, null, null, true, null),
            null, DateTimeOffset.UtcNow);
        string Verdict(AccessJournalled entry, CaseExchange.Councils.Member who) =>
            CaseExchange.Journal.Replay.ReplayJudgement.Judge(policy, entry, new(who, council, null, null)).Verdict;

        Assert.Equal(CaseExchange.Journal.Replay.ReplayVerdicts.Legitimate, Verdict(Entry(JournalActions.DuplicateCheck, JournalActions.DuplicateCheckPurpose, member), member));
        Assert.Equal(CaseExchange.Journal.Replay.ReplayVerdicts.Legitimate, Verdict(Entry(JournalActions.IdentitySearch, "suivi", member), member));
        Assert.Equal(CaseExchange.Journal.Replay.ReplayVerdicts.Flagged, Verdict(Entry(JournalActions.DuplicateCheck, JournalActions.DuplicateCheckPurpose, auditor), auditor));
        Assert.Equal(CaseExchange.Journal.Replay.ReplayVerdicts.Flagged, Verdict(Entry(JournalActions.IdentitySearch, "curiosite", member), member));
    }

    [Fact]
    public async Task The_referring_member_is_told_the_pseudonym_of_the_situation_of_their_group_whatever_the_case_and_accents()
    {
        var person = TestPerson.Distinctive($"Dup{Guid.NewGuid():N}"[..10]);
        var (_, pseudonym, _) = await Council.ReferAsync(Service, person, "Faits fictifs");

        var text = await BodyAsync(Council.Animateur, new { nom = person.Nom.ToUpperInvariant(), prenom = "philomene" + person.Prenom[9..], dateNaissance = person.DateNaissance });
        var answer = System.Text.Json.JsonSerializer.Deserialize<DuplicateCheckResponse>(text, Json.Options)!;

        var found = Assert.Single(answer.InMyGroups);
        Assert.Equal((pseudonym, "GT A (détenteur)", false), (found.Pseudonym, found.GroupName, found.Archived));
        Assert.Empty(answer.InOtherGroups);
        Assert.Contains(CheckDuplicatesUseCase.InMyGroupMessage, Assert.Single(answer.Messages));
        HoldsNoIdentity(text, person);
    }

    [Fact]
    public async Task An_archived_situation_is_found_too()
    {
        var closed = await fixture.Steps.ClosedAsync();
        // The steps' persons are Distinctive("S<n>"): find the one of this situation through the coordonnateur's view of it.
        var view = await Service.GetJsonAsync<System.Text.Json.JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{closed}");
        var pseudonym = view.GetProperty("pseudonym").GetString();
        var found = false;
        for (var n = 1; n <= 10 && !found; n++)
        {
            var answer = await Service.PostJsonAsync<DuplicateCheckResponse>(Council.MemberOfHoldingGroup, Url, Identity(TestPerson.Distinctive($"S{n}")));
            found = answer.InMyGroups.Any(d => d.Pseudonym == pseudonym && d.Archived);
        }
        Assert.True(found, "The closed situation was not reported as archived.");
    }

    [Fact]
    public async Task A_member_outside_the_holding_group_gets_the_same_answer_with_and_without_a_match()
    {
        var held = TestPerson.Distinctive($"Held{Guid.NewGuid():N}"[..10]);
        await Council.ReferAsync(Service, held, "Faits fictifs");
        var nobody = TestPerson.Distinctive($"None{Guid.NewGuid():N}"[..10]);

        foreach (var outsider in new[] { Council.MemberOfOtherGroup, Council.RemovedMember })
        {
            var withMatch = await BodyAsync(outsider, Identity(held));
            var withoutMatch = await BodyAsync(outsider, Identity(nobody));
            Assert.Equal(withoutMatch, withMatch);
            HoldsNoIdentity(withMatch, held);
        }
    }

    [Fact]
    public async Task The_coordonnateur_is_told_only_that_another_group_holds_one_and_which()
    {
        var person = TestPerson.Distinctive($"Coord{Guid.NewGuid():N}"[..10]);
        var (_, pseudonym, _) = await Council.ReferAsync(Service, person, "Faits fictifs");

        var text = await BodyAsync(Council.Coordonnateur, Identity(person));
        var answer = System.Text.Json.JsonSerializer.Deserialize<DuplicateCheckResponse>(text, Json.Options)!;
        Assert.Empty(answer.InMyGroups);
        Assert.Equal([(Council.GroupA, "GT A (détenteur)")], answer.InOtherGroups.Select(o => (o.GroupId, o.GroupName)));
        Assert.DoesNotContain(pseudonym, text);
        HoldsNoIdentity(text, person);
    }

    [Fact]
    public async Task Each_check_is_journalled_before_the_answer_and_a_refusal_too()
    {
        var person = TestPerson.Distinctive($"Jrn{Guid.NewGuid():N}"[..10]);
        var before = (await CouncilChainAsync()).Count;
        await BodyAsync(Council.MemberOfOtherGroup, Identity(person));
        var entries = await CouncilChainAsync();
        var entry = Assert.Single(entries.Skip(before));
        Assert.Equal((JournalActions.DuplicateCheck, true, JournalActions.DuplicateCheckPurpose, Council.Id(Council.MemberOfOtherGroup)),
            (entry.Action, entry.Granted, entry.Purpose, entry.MemberId!.Value));

        // The auditeur and the président have no nominative look-up: refused, and the refusal is journalled.
        var problem = await BodyAsync(Council.Auditeur, Identity(person), 403);
        HoldsNoIdentity(problem, person);
        var refusal = (await CouncilChainAsync()).Last();
        Assert.Equal((JournalActions.DuplicateCheck, false, Refusals.RoleNotAllowed), (refusal.Action, refusal.Granted, refusal.Refusal));
        await BodyAsync(Council.UnsignedMember, Identity(person), 403);
        Assert.Equal(Refusals.CharterNotSigned, (await CouncilChainAsync()).Last().Refusal);

        // An incomplete request: 400, journalled as such, its message repeats no value.
        var invalid = await BodyAsync(Council.Animateur, new { nom = person.Nom }, 400);
        HoldsNoIdentity(invalid, person);
        Assert.Equal(Refusals.InvalidRequest, (await CouncilChainAsync()).Last().Refusal);
    }

    [Fact]
    public async Task The_referral_page_shows_the_duplicate_after_submission()
    {
        var person = TestPerson.Distinctive($"Page{Guid.NewGuid():N}"[..10]);
        var (_, pseudonym, _) = await Council.ReferAsync(Service, person, "Faits fictifs");

        using var member = await Service.PageClientAsync(Council.Animateur);
        var form = $"/c/{Council.Code}/situations/nouvelle";
        var html = await member.GetStringAsync(form, TestContext.Current.CancellationToken);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var posted = await member.PostAsync(form, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Id"] = Guid.CreateVersion7().ToString(),
            ["Input.GroupId"] = Council.GroupA.ToString(),
            ["Input.Reasons"] = "errance",
            ["Input.Sector"] = "nord",
            ["Input.Urgency"] = "normale",
            ["Input.Persons[0].Role"] = "personne-suivie",
            ["Input.Persons[0].Nom"] = person.Nom,
            ["Input.Persons[0].Prenom"] = person.Prenom,
            ["Input.Persons[0].DateNaissance"] = person.DateNaissance.ToString("yyyy-MM-dd"),
            ["Input.Facts"] = "Faits fictifs du formulaire",
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var page = WebUtility.HtmlDecode(await member.GetStringAsync(posted.Headers.Location!.ToString(), TestContext.Current.CancellationToken));
        Assert.Contains(CheckDuplicatesUseCase.InMyGroupMessage, page);
        Assert.Contains(pseudonym, page);
        HoldsNoIdentity(page, person);
    }
}
