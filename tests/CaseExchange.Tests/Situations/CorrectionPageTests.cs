using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Tests.Infrastructure;

namespace CaseExchange.Tests.Situations;

public sealed class CorrectionPageFixture : CouncilFixture;

/// <summary>The rectification and addition pages: offered from the situation page to who may use them, a refusal keeps what was typed.</summary>
public sealed partial class CorrectionPageTests(CorrectionPageFixture fixture) : IClassFixture<CorrectionPageFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();

    [GeneratedRegex("name=\"Input.Token\" value=\"([^\"]+)\"")]
    private static partial Regex OpeningToken();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string SituationPage(Guid id) => $"/c/{Council.Code}/situations/{id}";

    [Fact]
    public async Task The_situation_page_offers_the_rectification_to_the_coordonnateur_and_the_additions_to_the_holding_group()
    {
        var id = await fixture.Steps.ReferredAsync();
        using var coordonnateur = await Service.PageClientAsync(Council.Coordonnateur);
        var page = await coordonnateur.GetStringAsync(SituationPage(id), Ct);
        Assert.Contains($"{SituationPage(id)}/rectification", page);
        Assert.DoesNotContain("/faits/ajout", page);
        Assert.DoesNotContain("/personnes/ajout", page);

        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var mine = await member.GetStringAsync(SituationPage(id), Ct);
        Assert.Contains($"{SituationPage(id)}/faits/ajout", mine);
        Assert.Contains($"{SituationPage(id)}/personnes/ajout", mine);
        Assert.DoesNotContain("/rectification", mine);

        using var auditor = await Service.PageClientAsync(Council.Auditeur);
        var audited = await auditor.GetStringAsync(SituationPage(id), Ct);
        Assert.DoesNotContain("/rectification", audited);
        Assert.DoesNotContain("/faits/ajout", audited);
    }

    [Fact]
    public async Task A_refused_rectification_keeps_what_was_typed_then_the_file_shows_the_new_values_and_the_history()
    {
        var person = TestPerson.Distinctive($"Pg{Guid.NewGuid():N}"[..10]);
        var (id, _, _) = await Council.ReferAsync(Service, person, "Faits fictifs");
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var url = $"{SituationPage(id)}/rectification";
        var form = await client.GetStringAsync(url, Ct);
        Assert.Contains("Personne 1", form);
        Assert.DoesNotContain(person.Nom, form);
        var personId = await Service.FirstPersonAsync(Council, id);

        var newNom = $"Quenouille{Guid.NewGuid():N}"[..18];
        var before = await Service.NonJournalEventCountAsync();
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery().Match(form).Groups[1].Value,
            ["Input.PersonId"] = personId.ToString(),
            ["Input.Nom"] = newNom,
            ["Input.DateNaissance"] = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd"),
            ["Input.ExpectedVersion"] = "1",
        };
        var refused = await client.PostAsync(url, new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var again = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("ne peut pas être dans le futur", WebUtility.HtmlDecode(again));
        Assert.Contains(newNom, again);
        Assert.Equal(before, await Service.NonJournalEventCountAsync());

        // A valid birth date this time: the age-limit erasure date follows it.
        var newBorn = person.DateNaissance.AddDays(-10);
        fields["Input.DateNaissance"] = newBorn.ToString("yyyy-MM-dd");
        var done = await client.PostAsync(url, new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        // The holding group's member opens the file: the value in force, and the history (old and new, by whom).
        using var member = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var html = await member.GetStringAsync(SituationPage(id), Ct);
        var file = WebUtility.HtmlDecode(await (await member.PostAsync(SituationPage(id), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery().Match(html).Groups[1].Value, ["Input.Purpose"] = "mise-a-jour",
            ["Input.Token"] = OpeningToken().Match(html).Groups[1].Value,
        }), Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Contains("Rectifications et ajouts", file);
        Assert.Contains("Rectification d'identité", file);
        Assert.Matches($"<td>{Regex.Escape(person.Nom)}</td>\\s*<td>{Regex.Escape(newNom)}</td>", file);
        Assert.Contains("Coordonnatrice Test", file);
        string ErasureDate(DateOnly born) => born.AddYears(25).ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
        Assert.Contains($"effacées au plus tard le <strong><time datetime=\"", file);
        Assert.Contains($">{ErasureDate(newBorn)}</time>", file);
        Assert.DoesNotContain($">{ErasureDate(person.DateNaissance)}</time>", file);
    }

    [Fact]
    public async Task Refused_additions_keep_what_was_typed_and_accepted_ones_go_back_to_the_situation()
    {
        var id = await fixture.Steps.ReferredAsync();
        using var client = await Service.PageClientAsync(Council.MemberOfHoldingGroup);
        var before = await Service.NonJournalEventCountAsync();

        var factUrl = $"{SituationPage(id)}/faits/ajout";
        var factForm = await client.GetStringAsync(factUrl, Ct);
        var fact = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery().Match(factForm).Groups[1].Value,
            ["Input.On"] = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd"),
            ["Input.Text"] = "Absence constatee Farandole",
            ["Input.ExpectedVersion"] = "1",
        };
        var refusedFact = await client.PostAsync(factUrl, new FormUrlEncodedContent(fact), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refusedFact.StatusCode);
        Assert.Contains("Absence constatee Farandole", await refusedFact.Content.ReadAsStringAsync(Ct));

        var personUrl = $"{SituationPage(id)}/personnes/ajout";
        var personForm = await client.GetStringAsync(personUrl, Ct);
        var person = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Antiforgery().Match(personForm).Groups[1].Value,
            ["Input.Person.Nom"] = "Brindezingue",
            ["Input.Person.Prenom"] = "Anatole",
            ["Input.Person.DateNaissance"] = "2011-04-05",
            ["Input.ExpectedVersion"] = "1",
        };
        var refusedPerson = await client.PostAsync(personUrl, new FormUrlEncodedContent(person), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refusedPerson.StatusCode);
        var again = await refusedPerson.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Brindezingue", again);
        Assert.Contains("Le rôle de la personne", WebUtility.HtmlDecode(again));
        Assert.Equal(before, await Service.NonJournalEventCountAsync());

        person["Input.Person.Role"] = "membre-famille";
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync(personUrl, new FormUrlEncodedContent(person), Ct)).StatusCode);
        fact["Input.On"] = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        fact["Input.ExpectedVersion"] = "2";
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync(factUrl, new FormUrlEncodedContent(fact), Ct)).StatusCode);
        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}");
        Assert.Equal((2, 3L), (view.GetProperty("personCount").GetInt32(), view.GetProperty("version").GetInt64()));
    }
}
