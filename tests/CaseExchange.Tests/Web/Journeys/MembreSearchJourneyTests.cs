using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;
using Microsoft.Playwright;
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// A membre of the holding group in the browser: finds a situation by pseudonym, then by name and birth date with a purpose
/// (refused without one), adds a dated fact and a person to it, and reads her own traces in the journal. The situation is
/// referred through the API.
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class MembreSearchJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Membre_searches_by_pseudonym_and_by_name_with_a_purpose_adds_a_fact_and_a_person_and_reads_her_traces()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var person = TestPerson.Distinctive("Recherche");
        var (situation, pseudonym) = await Council.ReferAsync(fixture.Service, person, "Faits fictifs de la recherche");
        var page = await fixture.SignInAsync(Council.MemberOfHoldingGroup);
        var main = page.Locator("main");
        var results = page.Locator("#resultats ul");

        // By pseudonym: no purpose needed, nothing opened.
        await page.GotoAsync($"/c/{Council.Code}/recherche");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Rechercher une situation");
        await page.GetByLabel("Pseudonyme (par exemple S-2026-0001)").FillAsync(pseudonym);
        await page.Locator("form", new() { Has = page.Locator("#Pseudonyme") }).GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();
        await Expect(results.GetByRole(AriaRole.Link, new() { Name = pseudonym })).ToBeVisibleAsync();
        await Accessibility.AssertAsync(page);

        // By name and birth date: refused without a purpose (the fields kept), then answered by pseudonyms only.
        var byName = page.Locator("form", new() { Has = page.Locator("#Identite_Nom") });
        await page.GetByLabel("Nom", new() { Exact = true }).FillAsync(person.Nom);
        await page.GetByLabel("Prénom").FillAsync(person.Prenom);
        await page.GetByLabel("Date de naissance").FillAsync(person.DateNaissance.ToString("yyyy-MM-dd"));
        await byName.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("motif");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nom", new() { Exact = true }).FillAsync(person.Nom);
        await page.GetByLabel("Prénom").FillAsync(person.Prenom);
        await page.GetByLabel("Date de naissance").FillAsync(person.DateNaissance.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Motif de la recherche").SelectOptionAsync("mise-a-jour");
        await byName.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();
        await Expect(results.GetByRole(AriaRole.Link, new() { Name = pseudonym })).ToBeVisibleAsync();
        await Expect(results).ToContainTextAsync("GT A (détenteur)");
        Leaks.AssertNone(await results.InnerTextAsync(), Leaks.Of(person), "the search's results");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "membre-recherche");

        // A dated fact, then a person, added to the situation found: back to it, told.
        await results.GetByRole(AriaRole.Link, new() { Name = pseudonym }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Ajouter un fait daté" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Ajouter un fait daté — situation {pseudonym}");
        await page.GetByLabel("Date du fait").FillAsync(DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd"));
        await page.GetByLabel("Le fait", new() { Exact = true }).FillAsync("Absence constatée au collège trois jours de suite");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "membre-ajout-fait");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter le fait" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Fait ajouté à la situation {pseudonym}.");
        await Expect(page).ToHaveURLAsync(new Regex($"/situations/{situation}$"));

        var sibling = TestPerson.Distinctive("Ajoutee");
        await page.GetByRole(AriaRole.Link, new() { Name = "Ajouter une personne concernée" }).ClickAsync();
        await page.GetByLabel("Qualité").SelectOptionAsync("membre-famille");
        await page.GetByLabel("Nom", new() { Exact = true }).FillAsync(sibling.Nom);
        await page.GetByLabel("Prénom").FillAsync(sibling.Prenom);
        await page.GetByLabel("Date de naissance").FillAsync(sibling.DateNaissance.ToString("yyyy-MM-dd"));
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter la personne" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Personne ajoutée à la situation {pseudonym}.");
        Leaks.AssertNone(await main.InnerTextAsync(), Leaks.Of(sibling), "the anonymised situation after the addition");

        // Her traces: the search by name, with its purpose, is there.
        await page.GotoAsync($"/c/{Council.Code}/mes-traces");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Mes traces");
        var search = page.Locator("table.table--journal tbody tr", new() { HasText = "Recherche par nom ou date de naissance" }).First;
        await Expect(search).ToContainTextAsync("Motif : ");
        await Expect(search).ToContainTextAsync("Accordé");
        Leaks.AssertNone(await main.InnerTextAsync(), [.. Leaks.Of(person), .. Leaks.Of(sibling)], "my traces");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "mes-traces");

        PageTimes.Print("membre search");
        Console.WriteLine($"[browser] membre search journey (search, additions, my traces): {timer.Elapsed.TotalSeconds:F1} s");
    }
}
