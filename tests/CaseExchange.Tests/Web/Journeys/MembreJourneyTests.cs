using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using CaseExchange.Tests.Seances;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The membre: signs the charter, refers a situation through the form, finds it anonymised and opens its file with a purpose.
/// In a real browser against the real service, like every journey (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class MembreJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Membre_signs_the_charter_logs_a_situation_finds_it_anonymised_and_opens_its_file_with_a_purpose()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var page = await fixture.SignInAsync(BrowserFixture.NewMember);

        // Not signed yet: every page says so and leads to the charter.
        await Expect(page.Locator("main")).ToContainTextAsync("Vous n'avez pas signé la charte déontologique en vigueur");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Lire et signer la charte" }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Charte déontologique et règlement intérieur");
        await Expect(page.Locator("article.charter-text")).ToContainTextAsync("Article 11 — Signature préalable de la charte");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("J'ai lu la charte déontologique").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Signer la charte" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Vous avez signé la charte, version");

        // The referral form: first sent empty, the errors come back in French, listed at the top and by each field.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Signaler une situation" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Signaler une situation");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("Cochez au moins un motif de signalement.");
        await Expect(summary).ToContainTextAsync("Indiquez au moins une personne concernée.");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Le résumé des faits est obligatoire." })).ToHaveAttributeAsync("href", "#Input_Facts");
        await Expect(page.Locator("#Input_Facts")).ToHaveAttributeAsync("aria-invalid", "true");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "membre-formulaire-erreurs");

        // One more person block, without JavaScript: the form (opened with one block) comes back with a second block and no error.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter une personne" }).ClickAsync();
        await Expect(page.Locator("legend", new() { HasText = "Personne 2" })).ToBeVisibleAsync();
        await Expect(page.Locator(".error-summary")).ToHaveCountAsync(0);

        await page.GetByLabel("Décrochage ou absentéisme scolaire").CheckAsync();
        await page.GetByLabel("Errance, présence prolongée sur l'espace public").CheckAsync();
        await page.GetByLabel("Secteur", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Quartier nord" });
        await page.GetByLabel("Prioritaire").CheckAsync();
        await page.Locator("#Input_Persons_0__Nom").FillAsync("Zorglubovitch-Navigateur");
        await page.Locator("#Input_Persons_0__Prenom").FillAsync("Philomène");
        await page.Locator("#Input_Persons_0__DateNaissance").FillAsync("2011-05-14");
        await page.Locator("#Input_Persons_0__Sexe").SelectOptionAsync("F");
        await page.Locator("#Input_Persons_0__Adresse").FillAsync("17 impasse des Quetzals");
        await page.Locator("#Input_Persons_1__Role").SelectOptionAsync("representant-legal");
        await page.Locator("#Input_Persons_1__Nom").FillAsync("Zorglubovitch-Navigateur");
        await page.Locator("#Input_Persons_1__Prenom").FillAsync("Anselme");
        await page.Locator("#Input_Persons_1__DateNaissance").FillAsync("1980-02-29");
        await page.GetByLabel("Faits").FillAsync("Absences répétées depuis la rentrée, signalées par le collège (faits fictifs Navigateur).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer le signalement" }).ClickAsync();

        var notice = page.Locator("[role=status]");
        await Expect(notice).ToContainTextAsync("est enregistrée");
        var pseudonym = Regex.Match(await notice.InnerTextAsync(), @"S-\d{4}-\d{4}").Value;
        Assert.NotEmpty(pseudonym);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Situation {pseudonym}");
        Assert.DoesNotContain("Zorglubovitch", await page.ContentAsync());

        // The anonymised list: the pseudonym and coarse attributes, no name.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Situations", Exact = true }).ClickAsync();
        var row = page.Locator("tbody tr", new() { HasText = pseudonym });
        await Expect(row).ToContainTextAsync("Décrochage ou absentéisme scolaire");
        await Expect(row).ToContainTextAsync("13 à 15 ans, 25 ans et plus");
        Assert.DoesNotContain("Zorglubovitch", await page.ContentAsync());
        await Accessibility.AssertAsync(page);

        // The full file, after stating a purpose; the answer says the consultation is recorded and is never cached.
        await row.GetByRole(AriaRole.Link, new() { Name = pseudonym }).ClickAsync();
        await Expect(page.Locator("form.panel")).ToContainTextAsync("journal des accès");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Motif de la consultation").SelectOptionAsync(new SelectOptionValue { Label = "Préparation d'une séance du groupe" });
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Ouvrir le dossier nominatif" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/situations/"));
        Assert.Equal(200, response.Status);
        Assert.Contains("no-store", (await response.AllHeadersAsync())["cache-control"]);
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Dossier nominatif — {pseudonym}");
        var recorded = page.Locator("[role=status]");
        await Expect(recorded).ToContainTextAsync("Consultation enregistrée — motif : Préparation d'une séance du groupe");
        await Expect(recorded).ToContainTextAsync(CaseExchange.Journal.JournalNotice.Text);
        await Expect(page.Locator("main")).ToContainTextAsync("Philomène Zorglubovitch-Navigateur");
        await Expect(page.Locator("main")).ToContainTextAsync("14 mai 2011");
        await Expect(page.Locator("main")).ToContainTextAsync("faits fictifs Navigateur");
        Assert.DoesNotContain("Zorglubovitch", page.Url);
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "membre");
        Console.WriteLine($"[browser] membre journey: {timer.Elapsed.TotalSeconds:F1} s");
    }
}
