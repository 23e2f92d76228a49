using System.Net;
using System.Text;
using System.Text.Json;
using CaseExchange.Seances.Paperwork;
using CaseExchange.Situations.Notices;
using CaseExchange.Tests.Infrastructure;
using UglyToad.PdfPig;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Seances;

/// <summary>Reads a PDF's text back (PdfPig): each page's text, pages joined by a new line.</summary>
public static class PdfText
{
    public static (string Text, int Pages) Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return (string.Join("\n", document.GetPages().Select(p => p.Text)), document.NumberOfPages);
    }

    /// <summary>Whitespace removed, so that a sentence wrapped over two lines is still found.</summary>
    public static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    public static void AssertHas(string text, string expected) => Assert.Contains(Squeeze(expected), Squeeze(text));
}

/// <summary>The PDF layout on its own: wrapping, page breaks, tables, the font check.</summary>
public sealed class PaperPdfLayoutTests
{
    [Fact]
    public void A_long_document_flows_over_several_A4_pages_with_every_row_and_every_word()
    {
        var rows = Enumerable.Range(1, 120).Select(i => (IReadOnlyList<string>)[$"Ligne{i:000}", $"Organisation numéro {i}", ""]).ToList();
        var longParagraph = string.Join(" ", Enumerable.Range(1, 400).Select(i => $"mot{i}"));
        var document = new PaperDocument("Titre d'essai", "Sous-titre", Now,
        [
            new PaperHeading("Première partie"),
            new PaperParagraph(longParagraph + " " + new string('x', 300)),
            new PaperNotice("Rappel : secret partagé (L. 132-5)."),
            new PaperTable("Tableau d'essai", ["Nom", "Organisation", "Signature"], rows, ForSignatures: true),
        ]);
        var file = document.Render(PaperDocument.Pdf, "essai");
        Assert.Equal(("application/pdf", "essai.pdf"), (file.ContentType, file.FileName));
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(file.Bytes, 0, 4));
        var (text, pages) = PdfText.Read(file.Bytes);
        Assert.True(pages >= 5, $"120 signature rows need several pages, got {pages}");
        var squeezed = PdfText.Squeeze(text);
        Assert.Contains("mot1mot2", squeezed);
        Assert.Contains("mot399mot400", squeezed);
        Assert.Contains(new string('x', 300), squeezed);
        Assert.All(Enumerable.Range(1, 120), i => Assert.Contains($"Ligne{i:000}", text));
        PdfText.AssertHas(text, "Rappel : secret partagé (L. 132-5).");
        // The header row is repeated on each page of the table.
        Assert.True(text.Split('\n').Count(p => p.Contains("Signature")) >= pages - 1);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(file.Bytes);
        Assert.All(pdf.GetPages(), p => Assert.Equal((595, 842), ((int)Math.Round(p.Width), (int)Math.Round(p.Height))));
    }

    [Fact]
    public void A_missing_font_is_named_with_the_package_to_install()
    {
        Assert.Null(PaperPdf.MissingFont(PaperPdf.FontDirectory));
        var why = PaperPdf.MissingFont("/nonexistent/fonts");
        Assert.NotNull(why);
        Assert.Contains("fonts-dejavu-core", why);
        Assert.Contains("DejaVuSans.ttf", why);
    }
}

public sealed class PaperPdfHttpFixture : SeanceCouncilFixture;

/// <summary>Convocation, feuille d'émargement and information letter as PDF, through HTTP: the same content as the DOCX, no identity.</summary>
public sealed class PaperPdfHttpTests(PaperPdfHttpFixture fixture) : IClassFixture<PaperPdfHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    private static async Task<string> PdfTextOfAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
        return PdfText.Read(bytes).Text;
    }

    [Fact]
    public async Task The_convocation_and_the_emargement_as_PDF_hold_the_ODJ_the_place_and_the_charter_and_no_identity()
    {
        var persons = new[] { TestPerson.Distinctive("PdfConvoc1"), TestPerson.Distinctive("PdfConvoc2") };
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(12));
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/place",
            new { place = "Hôtel de ville, salle Jean Moulin", expectedVersion = 1 }), 200);
        var pseudonyms = new List<string>();
        foreach (var person in persons)
        {
            var situation = await Council.ReferAsync(Service, person, $"Faits FaitsSecretsAbc concernant {person.Prenom} {person.Nom}.");
            await Steps.PlaceAsync(situation.Id, seanceId);
            pseudonyms.Add(situation.Pseudonym);
        }
        var convened = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/convocations",
            new { expectedVersion = await Steps.SeanceVersionAsync(seanceId) }, 201);
        Assert.EndsWith("/convocations/1/pdf", convened.GetProperty("downloads").GetProperty("pdf").GetString());

        var text = await PdfTextOfAsync(await Service.GetAsync(Council.Animateur, $"{Council.Api}/seances/{seanceId}/convocations/1/pdf"));
        Assert.All(pseudonyms, p => PdfText.AssertHas(text, p));
        PdfText.AssertHas(text, "Hôtel de ville, salle Jean Moulin");
        PdfText.AssertHas(text, "L. 132-5");
        foreach (var person in persons) Leaks.AssertNone(text, Leaks.Of(person), "the convocation (pdf)");
        Leaks.AssertNone(text, Leaks.Secrets, "the convocation (pdf)");

        var sheet = await PdfTextOfAsync(await Service.GetAsync(Council.Coordonnateur, $"{Council.Api}/seances/{seanceId}/emargement/pdf"));
        PdfText.AssertHas(sheet, "Feuille d'émargement");
        foreach (var person in persons) Leaks.AssertNone(sheet, Leaks.Of(person), "the feuille d'émargement (pdf)");
        await Answers.ExpectAsync(await Service.GetAsync(Council.MemberOfHoldingGroup, $"{Council.Api}/seances/{seanceId}/emargement/pdf"), 403);
        await Answers.ExpectAsync(await Service.GetAsync(Council.UnsignedMember, $"{Council.Api}/seances/{seanceId}/convocations/1/pdf"), 403);

        // The séance page offers the PDF beside the DOCX, and the page handler serves it.
        var pageUrl = $"/c/{Council.Code}/seances/{seanceId}";
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var page = WebUtility.HtmlDecode(await (await client.GetAsync(pageUrl, TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("handler=Convocation&number=1&format=pdf", page);
        Assert.Contains("handler=Emargement&format=pdf", page);
        var fromPage = await PdfTextOfAsync(await client.GetAsync($"{pageUrl}?handler=Convocation&number=1&format=pdf", TestContext.Current.CancellationToken));
        Assert.All(pseudonyms, p => PdfText.AssertHas(fromPage, p));
    }

    [Fact]
    public async Task The_information_letter_as_PDF_has_the_letter_and_no_identity_value_of_the_person()
    {
        var person = TestPerson.Distinctive("LettrePdf");
        var referred = await Council.ReferAsync(Service, person, "Faits fictifs FaitsSecretsAbc");
        var url = $"{Council.Api}/situations/{referred.Id}/information-letter";

        var text = await PdfTextOfAsync(await Service.GetAsync(Council.Animateur, $"{url}/pdf"));
        var expected = InformationLetterUseCase.Compose(Policy, "x", [], Now);
        PdfText.AssertHas(text, "Information sur le traitement de vos données");
        PdfText.AssertHas(text, "Madame, Monsieur,");
        PdfText.AssertHas(text, "Finalité du traitement");
        PdfText.AssertHas(text, $"{Policy.Retention.InactiveArchiveYears} ans en archive inactive");
        PdfText.AssertHas(text, "CNIL");
        Assert.Equal(expected.Blocks.OfType<PaperHeading>().Count(), expected.Blocks.OfType<PaperHeading>().Count(h => PdfText.Squeeze(text).Contains(PdfText.Squeeze(h.Text))));
        Leaks.AssertNone(text, [.. Leaks.Of(person), referred.Pseudonym, .. Leaks.Secrets], "the information letter (pdf)");

        await Answers.ExpectAsync(await Service.GetAsync(Council.MemberOfOtherGroup, $"{url}/pdf"), 403);

        using var client = await Service.PageClientAsync(Council.Animateur);
        var informationPage = WebUtility.HtmlDecode(await (await client.GetAsync($"/c/{Council.Code}/situations/{referred.Id}/information", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("handler=Letter&format=pdf", informationPage);
        var situationPage = WebUtility.HtmlDecode(await (await client.GetAsync($"/c/{Council.Code}/situations/{referred.Id}", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("handler=Letter&format=pdf", situationPage);
        var fromPage = await PdfTextOfAsync(await client.GetAsync($"/c/{Council.Code}/situations/{referred.Id}/information?handler=Letter&format=pdf", TestContext.Current.CancellationToken));
        PdfText.AssertHas(fromPage, "Madame, Monsieur,");
    }
}
