using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Charter;
using CaseExchange.Councils.CharterInForce;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Councils.Pure;

namespace CaseExchange.Tests.Councils;

public sealed class CouncilCharterFixture : CouncilFixture;

/// <summary>
/// A council's own charter version within the deployment's bounds: refused outside them (nothing written), then in force
/// for everything — referral lists, statistics threshold, pages' lists — and shown to members as what changed.
/// </summary>
public sealed partial class CouncilCharterTests(CouncilCharterFixture fixture) : IClassFixture<CouncilCharterFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    private const string Dropped = "risque-radicalisation";
    private const string Marker = "Article premier bis. Les partenaires du conseil de Villeneuve se réunissent chaque mois.";

    private static object Version(string label, object? lists = null, int threshold = 7, int? archiveYears = null) => new
    {
        version = label,
        charte = "# Charte déontologique de Villeneuve\n\nArticle premier. Le secret partagé est limité au strict nécessaire.\n\n" + Marker,
        reglement = "# Règlement intérieur\n\nLes séances sont mensuelles.",
        lists = lists ?? new Dictionary<string, string[]>
        {
            ["referralReasons"] = [.. Policy.ReferralReasons.Select(r => r.Code).Where(c => c != Dropped)],
        },
        statisticsMinimumCount = threshold,
        inactiveArchiveYears = archiveYears,
    };

    private static bool Refuses(JsonElement problem, string field) => problem.GetProperty("errors").TryGetProperty(field, out _);

    [Fact]
    public void The_terms_keep_the_deployments_order_and_wording_and_a_list_not_named_whole()
    {
        var command = new AdoptCouncilCharter("v", "c", "r", new Dictionary<string, IReadOnlyList<string>> { ["accessPurposes"] = ["suivi", "preparation-seance"] },
            null, 2, null);
        var terms = AdoptCouncilCharterUseCase.TermsOf(command, Policy);
        Assert.Equal(["preparation-seance", "suivi"], terms.Lists["accessPurposes"].Select(e => e.Code));
        Assert.Equal(Policy.ReferralReasons, terms.Lists["referralReasons"]);
        Assert.Equal((Policy.Statistics.MinimumCount, 2, Policy.Retention.AgeLimitYears), (terms.StatisticsMinimumCount, terms.InactiveArchiveYears, terms.AgeLimitYears));

        var narrowed = Policy.NarrowedBy("v", "empreinte", terms);
        Assert.False(narrowed.AccessPurposes.Has("transfert"));
        Assert.Equal("Préparation d'un transfert vers un autre groupe", narrowed.AccessPurposes.LabelOf("transfert"));
        Assert.Same(Policy, narrowed.Deployment);
        // A version adopted under looser bounds never goes beyond the deployment's current ones.
        var loose = Policy.NarrowedBy("v", "autre", terms with { StatisticsMinimumCount = 3, InactiveArchiveYears = 9 });
        Assert.Equal((Policy.Statistics.MinimumCount, Policy.Retention.InactiveArchiveYears), (loose.Statistics.MinimumCount, loose.Retention.InactiveArchiveYears));

        var errors = Fields(AdoptCouncilCharterUseCase.Check(command with
        {
            Lists = new Dictionary<string, IReadOnlyList<string>> { ["personRoles"] = ["representant-legal"], ["inconnue"] = ["x"] },
            AgeLimitYears = 17,
        }, Policy, ACouncil()));
        Assert.Equal(["ageLimitYears", "lists", "lists.personRoles"], errors.Keys.Order());
    }

    [Fact]
    public void A_narrowed_policy_carries_every_setting_the_council_cannot_narrow()
    {
        // A setting added to the policy later and forgotten in the narrowing would silently fall back to its default for
        // every council with its own version (found when instance kinds arrived): every property is compared.
        var terms = new CharterTerms(new Dictionary<string, IReadOnlyList<ListEntry>>(), Policy.Statistics.MinimumCount,
            Policy.Retention.InactiveArchiveYears, Policy.Retention.AgeLimitYears);
        var narrowed = Policy.NarrowedBy("v", "empreinte", terms);
        var council = new[] { nameof(CharterPolicy.Version), nameof(CharterPolicy.Fingerprint), nameof(CharterPolicy.Statistics),
            nameof(CharterPolicy.Retention), nameof(CharterPolicy.FullText), nameof(CharterPolicy.CharteText), nameof(CharterPolicy.ReglementText),
            nameof(CharterPolicy.Deployment) };
        var lost = typeof(CharterPolicy).GetProperties()
            .Where(p => p.GetIndexParameters().Length == 0 && !council.Contains(p.Name))
            .Where(p => !Equivalent(p.GetValue(Policy), p.GetValue(narrowed)))
            .Select(p => p.Name);
        Assert.Empty(lost);
        Assert.Equal((Policy.Statistics, Policy.Retention), (narrowed.Statistics, narrowed.Retention));
    }

    private static bool Equivalent(object? deployment, object? narrowed) =>
        Equals(deployment, narrowed)
        || deployment is System.Collections.IEnumerable a && narrowed is System.Collections.IEnumerable b && a.Cast<object>().SequenceEqual(b.Cast<object>());

    [Fact]
    public void The_paragraph_diff_names_what_was_added_and_removed_in_reading_order()
    {
        var changes = CharterDiff.Paragraphs("A\n\nB\n\nC\n\nD", "A\n\nB2\n\nC\n\nD\n\nE");
        Assert.Equal([(false, "B"), (true, "B2"), (true, "E")], changes.Select(c => (c.Added, c.Paragraph)));
        Assert.Empty(CharterDiff.Paragraphs("A\r\n\r\nB", "A\n\n B "));
    }

    [Fact]
    public async Task A_council_version_outside_the_bounds_is_400_and_a_valid_one_rules_referrals_statistics_pages_and_the_charter_page()
    {
        var (api, coordonnateur) = (Council.Api, Council.Coordonnateur);
        var versions = $"{api}/charter/versions";
        var before = await Service.EventCountAsync();

        var unknownCode = await Answers.ProblemAsync(await Service.PostAsync(coordonnateur, versions,
            Version("ville-1", new Dictionary<string, string[]> { ["referralReasons"] = ["errance", "inconnu"] })), 400);
        Assert.True(Refuses(unknownCode, "lists.referralReasons"));
        var empty = await Answers.ProblemAsync(await Service.PostAsync(coordonnateur, versions,
            Version("ville-1", new Dictionary<string, string[]> { ["accessPurposes"] = [] })), 400);
        Assert.True(Refuses(empty, "lists.accessPurposes"));
        Assert.True(Refuses(await Answers.ProblemAsync(await Service.PostAsync(coordonnateur, versions, Version("ville-1", threshold: 4)), 400),
            "statisticsMinimumCount"));
        Assert.True(Refuses(await Answers.ProblemAsync(await Service.PostAsync(coordonnateur, versions, Version("ville-1", archiveYears: 4)), 400),
            "inactiveArchiveYears"));
        Assert.True(Refuses(await Answers.ProblemAsync(await Service.PostAsync(coordonnateur, versions, Version(Policy.Version)), 400), "version"));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, versions, Version("ville-1")), 403);
        Assert.Equal(before, await Service.EventCountAsync());

        var adopted = await Service.PostJsonAsync<CharterView>(coordonnateur, versions, Version("ville-1"));
        Assert.Equal(("ville-1", "ville-1"), (adopted.Version, adopted.VersionInForce));
        Assert.Equal(64, adopted.Fingerprint.Length);

        // Members must sign the council's version; its text is the council's.
        var read = await Service.GetJsonAsync<CharterView>(Council.MemberOfHoldingGroup, $"{api}/charter");
        Assert.Equal(("ville-1", false), (read.VersionInForce, read.SignedByMe));
        Assert.Contains(Marker, read.Text);
        await Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{api}/charter/signatures", new { version = "ville-1" });

        // A referral with the reason the council dropped: 400 naming the field, nothing written.
        var beforeReferral = await Service.EventCountAsync();
        var referral = new
        {
            groupId = Council.GroupA, reasons = new[] { "errance", Dropped }, sector = "nord", urgency = "normale",
            persons = new object[] { TestPerson.Distinctive("Villeneuve").AsRequest(PersonRoles.Followed) }, facts = "Faits fictifs",
        };
        var refused = await Answers.ProblemAsync(await Service.PostAsync(Council.MemberOfHoldingGroup, $"{api}/situations", referral), 400);
        Assert.True(Refuses(refused, "reasons"));
        Assert.Equal(beforeReferral, await Service.EventCountAsync());
        await Answers.ExpectAsync(await Service.PostAsync(Council.MemberOfHoldingGroup, $"{api}/situations", referral with { reasons = new[] { "errance" } }), 201);

        // The statistics use the council's threshold.
        var statistics = await Service.GetJsonAsync<JsonElement>(coordonnateur, $"{api}/statistics");
        Assert.Equal(7, statistics.GetProperty("threshold").GetInt32());

        // The referral form offers the council's reasons only.
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var form = await member.GetStringAsync($"/c/{Council.Code}/situations/nouvelle", Ct);
        Assert.Contains("value=\"errance\"", form);
        Assert.DoesNotContain($"value=\"{Dropped}\"", form);

        // The animateur signed the shipped version: the charter page shows what changed since.
        using var animateur = await Service.PageClientAsync(Council.Animateur);
        var page = WebUtility.HtmlDecode(Tags().Replace(await animateur.GetStringAsync($"/c/{Council.Code}/charte", Ct), ""));
        Assert.Contains($"Ce qui a changé depuis la version {Policy.Version} que vous avez signée", page);
        Assert.Contains("Ajouté : " + Marker, page);
        Assert.Contains("Retiré : " + Policy.ReferralReasons.LabelOf(Dropped), page);
        Assert.Contains("Seuil des statistiques (effectif minimal publié)", page);
        Assert.Contains($"{Policy.Statistics.MinimumCount} → 7", page);
        // The member who signed it sees no change list.
        var signedPage = await member.GetStringAsync($"/c/{Council.Code}/charte", Ct);
        Assert.DoesNotContain("Ce qui a changé", WebUtility.HtmlDecode(signedPage));
        Assert.Contains("Villeneuve", signedPage);

        // The trail of administrative acts lists the adoption.
        var acts = await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{api}/journal/administrative-acts");
        Assert.Contains("Version propre au conseil adoptée", acts.GetRawText());

        // The shipped version can be put back in force (the default); then the shipped lists apply again.
        await Service.PostJsonAsync<JsonElement>(coordonnateur, $"{api}/charter/adoptions", new { version = Policy.Version });
        var back = await Service.GetJsonAsync<CharterView>(coordonnateur, $"{api}/charter");
        Assert.Equal((Policy.Version, Policy.Fingerprint), (back.VersionInForce, back.Fingerprint));
    }

    [Fact]
    public async Task The_adoption_page_keeps_what_was_typed_when_refused_then_puts_the_version_in_force()
    {
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var url = $"/c/{Council.Code}/charte/version";
        var form = await client.GetStringAsync(url, Ct);
        Assert.Contains($"value=\"referralReasons:{Dropped}\"", form);

        var label = $"page-{Guid.NewGuid():N}"[..20];
        var before = await Service.EventCountAsync();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", Antiforgery().Match(form).Groups[1].Value),
            new("Input.Version", label),
            new("Input.Charte", "Texte de la charte saisi dans le formulaire"),
            new("Input.Reglement", "Texte du règlement saisi dans le formulaire"),
            new("Input.StatisticsMinimumCount", "2"),
            new("Input.InactiveArchiveYears", "3"),
            new("Input.AgeLimitYears", "25"),
        };
        foreach (var list in CharterLists.All)
        foreach (var entry in list.Of(Policy).Where(e => e.Code != "transfert"))
            fields.Add(new("Input.Kept", CharterVersionForm.Entry(list.Name, entry.Code)));

        var refused = await client.PostAsync(url, new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var again = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct));
        Assert.Contains("ne peut pas être inférieur à celui du déploiement", again);
        Assert.Contains(label, again);
        Assert.Contains("Texte de la charte saisi dans le formulaire", again);
        Assert.DoesNotContain("value=\"accessPurposes:transfert\" checked", again);
        Assert.Contains("value=\"accessPurposes:suivi\" checked", again);
        Assert.Equal(before, await Service.EventCountAsync());

        fields[4] = new("Input.StatisticsMinimumCount", "6");
        var done = await client.PostAsync(url, new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var charter = await Service.GetJsonAsync<CharterView>(Council.Coordonnateur, $"{Council.Api}/charter");
        Assert.Equal(label, charter.VersionInForce);
        Assert.Contains("Texte du règlement saisi dans le formulaire", charter.Text);
    }
}
