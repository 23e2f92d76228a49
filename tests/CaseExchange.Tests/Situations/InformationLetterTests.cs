using System.IO.Compression;
using System.Net;
using System.Text;
using CaseExchange.Situations.Notices;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Situations.SituationHistory;

namespace CaseExchange.Tests.Situations;

/// <summary>The information letter: composed from the policy, with no identity of the person, a valid DOCX and printable HTML.</summary>
public sealed class InformationLetterTests
{
    [Fact]
    public void Compose_names_the_purpose_the_organisations_the_retention_the_rights_and_the_contact()
    {
        var letter = InformationLetterUseCase.Compose(Policy, "CLSPD de Fictiville", ["CCAS", "Mission locale", "CCAS"], Now);
        var html = Encoding.UTF8.GetString(letter.Render("html", "lettre").Bytes);
        Assert.Contains("Madame, Monsieur,", html);
        Assert.Contains("CCAS ; Mission locale.", html);
        Assert.Contains($"{Policy.Retention.InactiveArchiveYears} ans en archive inactive", html);
        Assert.Contains("rectification, d", html);
        Assert.Contains("coordonnateur du CLSPD de Fictiville", html);
        Assert.Contains("CNIL", html);
    }
}

public sealed class InformationLetterHttpFixture : CouncilFixture;

public sealed class InformationLetterHttpTests(InformationLetterHttpFixture fixture) : IClassFixture<InformationLetterHttpFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task The_letter_is_a_valid_docx_and_an_html_page_without_any_identity_value_of_the_person()
    {
        var person = TestPerson.Distinctive("Lettre");
        var referred = await Council.ReferAsync(Service, person, "Faits fictifs Lettre");
        var url = $"{Council.Api}/situations/{referred.Id}/information-letter";

        var docx = await Service.GetAsync(Council.Animateur, $"{url}/docx");
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        var bytes = await docx.Content.ReadAsByteArrayAsync();
        DocxValidity.AssertValid(bytes, "the information letter");
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        var entry = zip.GetEntry("word/document.xml");
        Assert.NotNull(entry);
        using var reader = new StreamReader(entry.Open());
        var xml = await reader.ReadToEndAsync();
        Assert.Contains("Madame, Monsieur,", xml);

        var html = await (await Service.GetAsync(Council.Animateur, $"{url}/html")).Content.ReadAsStringAsync();
        Assert.Contains("Madame, Monsieur,", html);

        var everything = string.Join("\n", zip.Entries.Select(e => { using var r = new StreamReader(e.Open()); return r.ReadToEnd(); })) + html;
        foreach (var value in new[] { person.Nom, person.Prenom, "Philomène", "Zorglubovitch", person.Adresse, "Quetzals", person.Courriel, person.Telephone,
                     person.DateNaissance.ToString("yyyy-MM-dd"), person.DateNaissance.ToString("dd/MM/yyyy"), referred.Pseudonym })
            Assert.DoesNotContain(value, everything, StringComparison.OrdinalIgnoreCase);

        await Answers.ExpectAsync(await Service.GetAsync(Council.MemberOfOtherGroup, $"{url}/docx"), 403);
    }
}
