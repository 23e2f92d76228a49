using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;
using CaseExchange.Tests.Situations;
using Microsoft.Playwright;
using static CaseExchange.Tests.Web.Journeys.JourneySupport;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Journeys;

/// <summary>
/// The coordonnateur keeps the council's records in the browser: links two situations by pseudonym and unlinks them,
/// imports the old spreadsheet (a CSV built here, one row refused) down to the screen that asks to destroy the file, and
/// records the decisions of a séance's general part in its CR (relevé de décisions). Only the starting point (two
/// situations) is set up through the API.
/// </summary>
[Collection(JourneysCollection.Name)]
public sealed class CoordonnateurRecordsJourneyTests(BrowserFixture fixture)
{
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Coordonnateur_links_situations_imports_the_spreadsheet_and_records_the_general_part_s_decisions()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var timer = Stopwatch.StartNew();
        var (first, firstPseudonym) = await fixture.Steps.ReferAsync();
        var (_, secondPseudonym) = await fixture.Steps.ReferAsync();
        var page = await fixture.SignInAsync(Council.Coordonnateur);
        var main = page.Locator("main");

        // Links: from the anonymised situation, by the other's pseudonym; an unknown pseudonym is refused, the form kept.
        await page.GotoAsync($"/c/{Council.Code}/situations/{first}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Situations liées (famille, fratrie)" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Situations liées à {firstPseudonym}");
        await Expect(main).ToContainTextAsync("Cette situation n'est liée à aucune autre.");
        await page.GetByLabel("Pseudonyme de l'autre situation").FillAsync("S-1999-9999");
        await page.GetByLabel("Lien", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Fratrie" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Lier les deux situations" }).ClickAsync();
        await Expect(page.Locator(".error-summary")).ToContainTextAsync("Aucune situation de ce conseil ne porte ce pseudonyme.");
        await Expect(page.GetByLabel("Lien", new() { Exact = true })).ToHaveValueAsync("fratrie");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Pseudonyme de l'autre situation").FillAsync(secondPseudonym);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lier les deux situations" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync($"Situations {firstPseudonym} et {secondPseudonym} liées (Fratrie).");
        var link = page.Locator("main table tbody tr", new() { HasText = secondPseudonym });
        await Expect(link).ToContainTextAsync("Fratrie");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-liens");
        // The other situation's anonymised view shows the link, both ways.
        await link.GetByRole(AriaRole.Link, new() { Name = secondPseudonym }).ClickAsync();
        await Expect(main).ToContainTextAsync(firstPseudonym);
        await page.GoBackAsync();
        await link.GetByRole(AriaRole.Button, new() { Name = $"Délier {secondPseudonym}" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Lien supprimé.");
        await Expect(main).ToContainTextAsync("Cette situation n'est liée à aucune autre.");

        // The spreadsheet's import: two rows, one refused (police-file text), reported by number and code, never by value.
        var (kept, refused) = (TestPerson.Distinctive("Tableur"), TestPerson.Distinctive("Refusee"));
        var csv = SheetFiles.Csv([
            ["numéro", "groupe", "motifs", "secteur", "urgence", "nom", "prénom", "date de naissance", "faits"],
            ["1", "GT A (détenteur)", "decrochage-scolaire", "nord", "normale", kept.Nom, kept.Prenom, kept.DateNaissance.ToString("dd/MM/yyyy"), "Absences répétées au collège"],
            ["2", "GT A (détenteur)", "errance", "sud", "normale", refused.Nom, refused.Prenom, refused.DateNaissance.ToString("dd/MM/yyyy"), "Placé en garde à vue le mois dernier"],
        ]);
        await page.GotoAsync($"/c/{Council.Code}/import");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Importer le tableur existant du conseil");
        await Accessibility.AssertAsync(page);
        await page.GetByLabel("Fichier CSV, ODS ou XLSX (2 Mo au plus)").SetInputFilesAsync(
            new FilePayload { Name = "tableur-clspd.csv", MimeType = "text/csv", Buffer = csv });
        await page.GetByRole(AriaRole.Button, new() { Name = "Importer" }).ClickAsync();
        await Expect(page.Locator("h2#rapport")).ToHaveTextAsync("Rapport d'import");
        await Expect(main).ToContainTextAsync("2 ligne(s) lue(s) : 1 importée(s) en 1 situation(s), 1 refusée(s).");
        await Expect(page.Locator("#refus tbody tr")).ToHaveTextAsync(new Regex(@"^\s*3\s*Texte qui ressemble à un extrait de fichier de police.*\(texte-fichier-police\)\s*$"));
        var importedPseudonym = (await page.Locator("#importees tbody tr td").Nth(1).InnerTextAsync()).Trim();
        Assert.Matches(@"^S-\d{4}-\d+$", importedPseudonym);
        await Expect(page.Locator("h2#destruction")).ToHaveTextAsync("Détruisez maintenant le fichier d'origine");
        await Expect(main).ToContainTextAsync("Supprimez le fichier de votre poste, puis videz la corbeille.");
        var report = await page.ContentAsync();
        Leaks.AssertNone(report, [.. Leaks.Of(kept), .. Leaks.Of(refused), "garde à vue"], "the import's report");
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-import");

        // The général part's decisions: a séance held today, a non-nominative item, attendance, closure, then the CR.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Séances", Exact = true }).ClickAsync();
        await page.GetByLabel("Groupe de travail", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "GT A (détenteur)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Afficher" }).ClickAsync();
        await page.GetByLabel("Date de la séance").FillAsync(CaseExchange.Web.Display.Iso(CaseExchange.Web.Display.Today(TimeProvider.System)));
        await page.GetByLabel("Heure").FillAsync("00:05");
        await page.GetByRole(AriaRole.Button, new() { Name = "Planifier la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("est planifiée");
        await page.GetByLabel("Intitulé du point (sans nom de personne)").FillAsync("Tags sur les murs de l'école élémentaire");
        await page.GetByLabel("Nature du point").SelectOptionAsync(new SelectOptionValue { Label = "Phénomène observé" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscrire le point" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Le point est inscrit à la partie générale de l'ordre du jour.");
        await page.GetByLabel("Partie générale seulement : Coordonnatrice Test").CheckAsync();
        await page.GetByLabel("Partie générale seulement : Membre animateur").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la présence" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("Présence enregistrée");
        await page.GetByRole(AriaRole.Button, new() { Name = "Clore la séance" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La séance est close.");
        await page.GetByRole(AriaRole.Link, new() { Name = "Établir le compte rendu anonymisé" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Compte rendu anonymisé");
        const string decision = "La ville nettoie les murs et le bailleur pose un éclairage avant la rentrée.";
        await page.GetByLabel("Partie générale, point 1 (Phénomène observé : Tags sur les murs de l'école élémentaire) — décision (facultative)").FillAsync(decision);
        await page.GetByRole(AriaRole.Button, new() { Name = "Établir la version 1" }).ClickAsync();
        await Expect(page.Locator("[role=status]")).ToContainTextAsync("La version 1 du compte rendu est établie.");
        var preview = page.Locator("article.cr");
        await Expect(preview).ToContainTextAsync("Partie générale : relevé de décisions");
        await Expect(preview).ToContainTextAsync("Tags sur les murs de l'école élémentaire");
        await Expect(preview).ToContainTextAsync(decision);
        await Accessibility.AssertAsync(page);
        await Screenshots.SaveAsync(page, "coordonnateur-releve-decisions");
        var docx = await page.RunAndWaitForDownloadAsync(() =>
            page.Locator("main table tbody tr", new() { HasText = "Version 1" }).GetByRole(AriaRole.Link, new() { Name = "Word (DOCX)" }).ClickAsync());
        var text = DocxText(await docx.PathAsync());
        Assert.Contains("Partie générale : relevé de décisions", text);
        Assert.Contains(decision, text);

        PageTimes.Print("coordonnateur records");
        Console.WriteLine($"[browser] coordonnateur records journey (links, import, relevé de décisions): {timer.Elapsed.TotalSeconds:F1} s");
    }
}
