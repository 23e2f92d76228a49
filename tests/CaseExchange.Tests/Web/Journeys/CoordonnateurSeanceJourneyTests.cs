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
/// The coordonnateur: prepares a séance, records attendance and an examination, closes it, establishes an anonymised CR.
/// In a real browser against the real service, like every journey (<see cref="JourneysCollection"/>).
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class CoordonnateurSeanceJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Coordonnateur_prepares_a_seance_records_attendance_and_an_examination_closes_it_and_establishes_an_anonymised_CR()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var person = TestPerson.Distinctive("Seance");
        var (_, pseudonym) = await Council.ReferAsync(fixture.Service, person, $"Faits FaitsSecretsAbc concernant {person.Prenom} {person.Nom}.");
        await ReferEnoughForStatisticsAsync(fixture);
        var mustNotLeave = Leaks.Of(person).Concat(Leaks.Secrets).ToList();

        var page = await fixture.SignInAsync(Council.Coordonnateur);
        // The partner directory: an organisation that names a person known to the council is refused without repeating it.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Partenaires" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Annuaire des partenaires");
        await Expect(page.Locator("tbody tr", new() { HasText = "Prévention spécialisée" })).ToContainTextAsync("Éducateur de prévention spécialisée");
        await page.GetByLabel("Nom de l'organisation").FillAsync($"Famille {person.Nom}");
        await page.GetByLabel("Fonction").SelectOptionAsync(new SelectOptionValue { Label = "Médiateur" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le partenaire" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Le nom de l'organisation désigne une personne connue du conseil");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Nom de l'organisation").FillAsync("Association de quartier");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le partenaire" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Association de quartier (Médiateur) figure désormais à l'annuaire des partenaires.");
        await Expect(page.Locator("tbody tr", new() { HasText = "Association de quartier" })).ToContainTextAsync("Médiateur");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Accueil" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Préparer les séances" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Séances");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Groupe de travail", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "GT A (détenteur)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await Expect(page.Locator("main h2").First).ToHaveTextAsync("Séances du groupe « GT A (détenteur) »");

        // Scheduled without a date: the use case's French message, by the field. Then today, so that it can be held.
        await page.GetByRole(AriaRole.Button, new() { Name = "Planifier la séance" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("La date de la séance est obligatoire.");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Date de la séance").FillAsync(CaseExchange.Web.Display.Iso(CaseExchange.Web.Display.Today(TimeProvider.System)));
        await page.GetByLabel("Heure").FillAsync("09:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Planifier la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("est planifiée");
        await Expect(page.Locator("h1")).ToContainTextAsync("Séance du");
        await Accessibility.AssertAsync(page);

        // The ODJ: the situation placed on it, anonymised; then published.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Inscrire {pseudonym} à l'ordre du jour" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"La situation {pseudonym} est inscrite à l'ordre du jour.");
        var item = page.Locator("section", new() { Has = page.Locator("#odj") }).Locator("tbody tr", new() { HasText = pseudonym });
        await Expect(item).ToContainTextAsync("16 à 17 ans");
        await Expect(item).ToContainTextAsync("Décrochage ou absentéisme scolaire");
        await Expect(item).ToContainTextAsync("Quartier nord");
        await Expect(item).ToContainTextAsync("Prioritaire");
        await Expect(item).ToContainTextAsync("À examiner");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publier l'ordre du jour" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("L'ordre du jour est publié (1 situation)");
        Leaks.AssertNone(await page.ContentAsync(), mustNotLeave, "the séance page");

        // Attendance: a member who has not signed the charter is refused at the nominative part, with the rule.
        await page.GetByLabel("Partie nominative : Membre animateur").CheckAsync();
        await page.GetByLabel("Partie nominative : Membre membre-a").CheckAsync();
        await page.GetByLabel("Partie nominative : Membre sans-signature").CheckAsync();
        await page.GetByLabel("Partie générale seulement : Coordonnatrice Test").CheckAsync();
        // Guests are chosen from the council's partner directory: no field where a name could be typed.
        await Expect(page.GetByLabel("Organisation de l'invité 1")).ToHaveCountAsync(0);
        await page.GetByLabel("Partenaire invité 1 (annuaire du conseil)").SelectOptionAsync(new SelectOptionValue { Label = "Association de quartier — Médiateur" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la présence" }).ClickAsync();
        var summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("Ce membre n'a pas signé la charte en vigueur : il ne peut assister qu'à la partie générale (règlement intérieur, article 8).");
        var refusedRow = page.Locator("tbody tr", new() { HasText = "Membre sans-signature" });
        await Expect(refusedRow.Locator(".field-error")).ToContainTextAsync("n'a pas signé la charte en vigueur");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Partie générale seulement : Membre sans-signature").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la présence" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Présence enregistrée : 2 à la partie nominative, 2 à la partie générale seulement, 1 invité.");

        // The examination: nominative free texts, sealed by the use case; decisions from the charter's list.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Enregistrer l'examen de {pseudonym}" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Examen de {pseudonym}");
        await Expect(page.Locator("main")).ToContainTextAsync("Texte nominatif : il est chiffré avant d'être enregistré");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'examen" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Le résumé des échanges est obligatoire.");
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Indiquez au moins une décision.");
        await page.GetByLabel("Résumé des échanges").FillAsync($"SecretDeSeanceXyz : {person.Prenom} a repris le chemin du collège.");
        await page.GetByLabel("Orientation vers un dispositif ou un partenaire", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Détail de la décision « Orientation vers un dispositif ou un partenaire » (facultatif, nominatif)").FillAsync("DetailDecisionSecretQwz");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer l'examen" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"L'examen de {pseudonym} est enregistré.");
        await Expect(page.Locator("main")).ToContainTextAsync("Décisions : Orientation vers un dispositif ou un partenaire.");
        Assert.DoesNotContain("SecretDeSeanceXyz", await page.ContentAsync());

        // The follow-up: a référent of the group, an action with its owner and due date.
        await page.GetByLabel("Référent").SelectOptionAsync(new SelectOptionValue { Label = "Membre referent — Prévention spécialisée" });
        await page.Locator("#Suivi_Actions_0__Kind").SelectOptionAsync(new SelectOptionValue { Label = "Prise de contact avec la famille" });
        await Expect(page.Locator("#Suivi_Actions_0__OwnerOrganisation")).ToHaveCountAsync(0);
        await page.Locator("#Suivi_Actions_0__OwnerPartnerId").SelectOptionAsync(new SelectOptionValue { Label = "Prévention spécialisée — Éducateur de prévention spécialisée" });
        await page.Locator("#Suivi_Actions_0__DueOn").FillAsync(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)).ToString("yyyy-MM-dd"));
        await page.Locator("#Suivi_Actions_0__Description").FillAsync("DescriptionActionSecrete");
        await Accessibility.AssertAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confier le suivi" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Le suivi de {pseudonym} est confié (1 action).");
        await Expect(page.Locator("#odj ~ table tbody tr", new() { HasText = pseudonym })).ToContainTextAsync("Examinée");
        Leaks.AssertNone(await page.ContentAsync(), mustNotLeave, "the séance page after the examination");
        await Screenshots.SaveAsync(page, "coordonnateur");

        await page.GetByRole(AriaRole.Button, new() { Name = "Clore la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La séance est close.");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la présence" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Établir le compte rendu anonymisé" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Compte rendu anonymisé");
        await Accessibility.AssertAsync(page);

        // A text naming the person is refused: the field is shown, never the value nor which kind of identity matched.
        await page.GetByLabel("Synthèse générale (facultative)").FillAsync($"La famille {person.Nom} est accompagnée par le CCAS.");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Établir la version 1" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, refused.Status);
        await Expect(page.Locator("[role=alert]").First).ToContainTextAsync("Texte identifiant refusé");
        summary = page.Locator(".error-summary");
        await Expect(summary).ToContainTextAsync("Le texte « synthèse générale » désigne une personne connue du conseil");
        await Expect(page.Locator("#Input_Synthese")).ToHaveAttributeAsync("aria-invalid", "true");
        var messages = string.Join(" ", [await summary.InnerTextAsync(), .. await page.Locator(".field-error").AllInnerTextsAsync()]);
        Leaks.AssertNone(messages, mustNotLeave, "the refusal messages");
        await Accessibility.AssertAsync(page);

        const string synthese = "Le groupe constate une amélioration de l'assiduité ; la famille est accompagnée par le CCAS.";
        await page.GetByLabel("Synthèse générale (facultative)").FillAsync(synthese);
        await page.GetByLabel($"Note sur la situation {pseudonym} (facultative)").FillAsync("Point d'étape à la prochaine séance.");
        // Markup typed in a text stays text in the preview (and in the files).
        await page.GetByLabel("Prochaines étapes (facultatives)").FillAsync("Le bailleur informera le groupe <b>rapidement</b>.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Établir la version 1" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La version 1 du compte rendu est établie.");
        var preview = page.Locator("article.cr");
        await Expect(preview).ToContainTextAsync(pseudonym);
        await Expect(preview).ToContainTextAsync(synthese);
        await Expect(preview).ToContainTextAsync("Orientation vers un dispositif ou un partenaire");
        await Expect(preview).ToContainTextAsync("Prévention spécialisée (Éducateur de prévention spécialisée)");
        await Expect(preview).ToContainTextAsync("Association de quartier — Médiateur");
        await Expect(preview).ToContainTextAsync("Le bailleur informera le groupe <b>rapidement</b>.");
        await Expect(preview.Locator("b")).ToHaveCountAsync(0);
        Leaks.AssertNone(await page.ContentAsync(), [.. mustNotLeave, "Membre animateur", "Membre membre-a"], "the CR page");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-compte-rendu");

        // The downloads are the API's files: the pseudonym, no identity value, no sealed text.
        foreach (var (format, extension) in new[] { ("Word (DOCX)", ".docx"), ("page web (HTML)", ".html"), ("texte (Markdown)", ".md") })
        {
            var link = page.Locator("main table tbody tr", new() { HasText = "Version 1" }).GetByRole(AriaRole.Link, new() { Name = format });
            var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
            Assert.EndsWith(extension, download.SuggestedFilename);
            var path = await download.PathAsync();
            var text = extension == ".docx" ? DocxText(path) : await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
            Assert.Contains(pseudonym, text);
            Assert.Contains("la famille est accompagnée par le CCAS", text);
            Leaks.AssertNone(text, mustNotLeave, $"the CR as {extension}");
        }

        // The plenary statistics: tables, suppressed cells explained, a chart drawn on the server.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Statistiques" }).ClickAsync();
        await ExpectStatisticsAsync(page);
        Console.WriteLine($"[browser] coordonnateur journey (séance, CR, statistics): {timer.Elapsed.TotalSeconds:F1} s");
    }
}
