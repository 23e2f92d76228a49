using CaseExchange.Retention.RightOfAccess.Requests;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The coordonnateur records a right-of-access request when it arrives, sees its deadline on the « À faire », extends it,
/// answers it with the printable document, and the line is gone: in Chromium, every page scanned by axe-core.
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class AccessRequestJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Coordonnateur_records_extends_and_answers_a_right_of_access_request_in_the_browser()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var person = TestPerson.Distinctive("Registre");
        var (_, pseudonym) = await Council.ReferAsync(fixture.Service, person, "Faits fictifs du registre");
        var page = await fixture.SignInAsync(Council.Coordonnateur);
        var receivedOn = AccessRequestDeadlines.TodayAt(DateTimeOffset.UtcNow).AddDays(-2);

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Droit d'accès" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Demandes reçues et leur délai de réponse" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Demandes de droit d'accès");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Date de réception").FillAsync(receivedOn.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Canal de réception").SelectOptionAsync("courrier");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la demande" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("enregistrée : réponse due au plus tard le");
        var reference = (await page.Locator("h1").TextContentAsync())!.Replace("Demande de droit d'accès ", "").Trim();
        Assert.StartsWith("DA-", reference);
        await Accessibility.AssertAsync(page);

        // The « À faire » shows it with its days left and links to its page.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "À faire" }).ClickAsync();
        var section = page.Locator("section#droit-acces");
        await Expect(section).ToContainTextAsync(reference);
        await Expect(section).ToContainTextAsync(AccessRequestDeadlines.DaysLeftText(AccessRequestDeadlines.DaysLeft(receivedOn.AddMonths(1), AccessRequestDeadlines.TodayAt(DateTimeOffset.UtcNow))));
        await section.GetByRole(AriaRole.Link, new() { Name = $"Répondre ou prolonger : {reference}" }).ClickAsync();

        // Extended for its complexity, then answered: the document, and the line is gone.
        await page.GetByLabel("Motif de la prolongation").SelectOptionAsync("complexite");
        await page.GetByRole(AriaRole.Button, new() { Name = "Prolonger le délai" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("prolongé jusqu'au");
        await page.GetByLabel("Nom", new() { Exact = true }).FillAsync(person.Nom);
        await page.GetByLabel("Prénom").FillAsync(person.Prenom);
        await page.GetByLabel("Date de naissance").FillAsync(person.DateNaissance.ToString("yyyy-MM-dd"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher, établir le document et clore la demande" }).ClickAsync();
        await Expect(page.Locator("article.document")).ToContainTextAsync($"Situation {pseudonym}");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-demande-droit-acces");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "À faire" }).ClickAsync();
        await Expect(page.Locator("section#droit-acces")).Not.ToContainTextAsync(reference);
    }
}
