using System.Net;
using System.Text.RegularExpressions;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;

namespace CaseExchange.Tests.Situations;

/// <summary>The situation page: a one-time opening form, the purposes adapted to the state, the planned erasure date.</summary>
public sealed partial class SituationPageTests(CouncilFixture fixture) : IClassFixture<CouncilFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [GeneratedRegex("name=\"Input.Token\" value=\"([^\"]+)\"")]
    private static partial Regex OpeningToken();

    private static string TokenOf(string html)
    {
        var match = OpeningToken().Match(html);
        Assert.True(match.Success, "The opening form carries no one-time token");
        return match.Groups[1].Value;
    }

    private static Regex Antiforgery { get; } = new("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");

    [Fact]
    public async Task A_replayed_opening_form_opens_nothing_and_journals_nothing_more()
    {
        var situation = await fixture.Steps.ReferredAsync();
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var page = $"/c/{Council.Code}/situations/{situation}";
        var html = await member.GetStringAsync(page);
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery.Match(html).Groups[1].Value, ["Input.Purpose"] = "suivi", ["Input.Token"] = TokenOf(html),
        };

        var opened = await member.PostAsync(page, new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var file = await opened.Content.ReadAsStringAsync();
        Assert.Contains("Dossier nominatif", file);
        Assert.Contains("Zorglubovitch", file);
        Assert.Single(await Service.JournalAsync(Council.Code, situation));

        // The browser's refresh sends the same form again: the file is not shown, the journal is untouched.
        var replayed = await member.PostAsync(page, new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        var again = await replayed.Content.ReadAsStringAsync();
        Assert.Contains("Ce dossier a déjà été ouvert avec ce formulaire.", again);
        Assert.DoesNotContain("Zorglubovitch", again);
        Assert.Single(await Service.JournalAsync(Council.Code, situation));

        // The fresh form it offers opens the file again, as a new journalled consultation.
        Assert.NotEqual(form["Input.Token"], TokenOf(again));
        form["Input.Token"] = TokenOf(again);
        Assert.Contains("Zorglubovitch", await (await member.PostAsync(page, new FormUrlEncodedContent(form))).Content.ReadAsStringAsync());
        Assert.Equal(2, (await Service.JournalAsync(Council.Code, situation)).Count);
    }

    [Fact]
    public async Task An_open_situation_offers_the_charter_purposes_and_the_retention_rule_and_its_full_file_the_erasure_date()
    {
        var situation = await fixture.Steps.ReferredAsync();
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var page = $"/c/{Council.Code}/situations/{situation}";
        var html = await member.GetStringAsync(page);
        Assert.Contains("Effacement prévu", html);
        Assert.Contains("tant que le suivi dure", html);
        Assert.Contains("value=\"examen-en-seance\"", html);
        Assert.DoesNotContain("Accès à l'archive", html);

        var file = await (await member.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery.Match(html).Groups[1].Value, ["Input.Purpose"] = "suivi", ["Input.Token"] = TokenOf(html),
        }))).Content.ReadAsStringAsync();
        // The person followed is 16: her 25th birthday is the date, known only from the full file.
        var expected = DateTime.UtcNow.AddDays(-100).AddYears(9).Year.ToString();
        Assert.Matches($"effacées au plus tard le <strong><time datetime=\"{expected}-", file);
        Assert.Contains("25 ans de la personne suivie", file);
    }

    [Fact]
    public async Task A_closed_situation_asks_for_an_archive_reason_offers_no_seance_purpose_and_shows_its_erasure_date()
    {
        var situation = await fixture.Steps.ClosedAsync();
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var html = await member.GetStringAsync($"/c/{Council.Code}/situations/{situation}");
        Assert.Contains("Accès à l'archive", html);
        Assert.Contains("value=\"requisition-judiciaire\"", html);
        Assert.DoesNotContain("value=\"examen-en-seance\"", html);
        Assert.DoesNotContain("value=\"preparation-seance\"", html);
        Assert.Contains($"effacées au plus tard le <strong><time datetime=\"{DateTime.UtcNow.Year + 3}-", html);
    }
}
