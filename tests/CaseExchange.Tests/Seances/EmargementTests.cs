using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using CaseExchange.Councils;
using CaseExchange.Seances;
using CaseExchange.Seances.Emargement;
using CaseExchange.Seances.Paperwork;
using CaseExchange.Tests.Infrastructure;
using static CaseExchange.Tests.Seances.SeanceRules;

namespace CaseExchange.Tests.Seances;

public sealed class EmargementFixture : SeanceCouncilFixture;

/// <summary>Invited partners and the feuille d'émargement: nominative part (members who signed the charter) and general part.</summary>
public sealed class EmargementTests(EmargementFixture fixture) : IClassFixture<EmargementFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);

    [Fact]
    public void Signed_members_sign_the_nominative_part_others_and_invited_partners_the_general_part()
    {
        var signed = Member("Agnès Signataire");
        var unsigned = Member("Bruno Sanssignature", signed: false);
        var gone = Member("Chloé Partie", active: false);
        var partner = Guid.CreateVersion7();
        var council = Council((partner, "Mission locale", "conseiller-insertion"));
        var group = Group(signed, unsigned, gone);
        var seance = Seance(group, Now.AddDays(9));

        Assert.Equal(["expectedVersion"], Fields(InvitePartnersUseCase.Check(new InvitePartners([partner], null), council, Policy)));
        Assert.Equal(["partnerIds[0]"], Fields(InvitePartnersUseCase.Check(new InvitePartners([Guid.NewGuid()], 1), council, Policy)));
        Assert.Equal(["partnerIds"], Fields(InvitePartnersUseCase.Check(new InvitePartners([partner, partner], 1), council, Policy)));
        var invited = InvitePartnersUseCase.Decide(seance, new InvitePartners([partner], 1), council, Policy, Author, Now);
        Assert.Equal("Mission locale", Assert.Single(invited.Guests).Organisation);
        seance.Apply(invited);
        Assert.Contains("close", OutOfOrder(() => InvitePartnersUseCase.Decide(Seance(group, closed: true), new InvitePartners([], 3), council, Policy, Author, Now)));

        var sheet = EmargementUseCase.Sheet(seance, group, council, Policy, [signed, unsigned, gone], Now);
        var tables = sheet.Blocks.OfType<PaperTable>().ToList();
        Assert.Equal(2, tables.Count);
        Assert.Equal(["Agnès Signataire"], tables[0].Rows.Select(r => r[0]));
        Assert.Equal(["Bruno Sanssignature", "Représentant(e) :"], tables[1].Rows.Select(r => r[0]).Where(n => n != ""));
        Assert.Contains(tables[1].Rows, r => r[1].StartsWith("Mission locale"));
        Assert.All(tables, t => Assert.Equal("Signature", t.Header[^1]));
        Assert.DoesNotContain(tables.SelectMany(t => t.Rows), r => r[0] == "Chloé Partie");
    }

    [Fact]
    public async Task Invitations_refuse_an_unknown_partner_with_400_and_a_stale_version_with_409_and_nothing_is_appended()
    {
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var partner = await Steps.PartnerAsync();
        var before = await Service.EventCountAsync();
        var problem = await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/invitations",
            new { partnerIds = new[] { Guid.NewGuid() }, expectedVersion = 1 }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("partnerIds[0]", out _));
        await Answers.ProblemAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/invitations",
            new { partnerIds = new[] { partner }, expectedVersion = 5 }), 409);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task The_sheet_downloads_as_a_valid_DOCX_and_a_printable_page_with_members_and_partners_and_no_person_concerned()
    {
        var person = TestPerson.Distinctive("Emarg1");
        var seanceId = await Steps.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(10));
        var situation = await Council.ReferAsync(Service, person, $"Faits FaitsSecretsAbc concernant {person.Prenom} {person.Nom}.");
        await Steps.PlaceAsync(situation.Id, seanceId);
        var partner = await Steps.PartnerAsync("Association de quartier", "mediateur");
        await Answers.ExpectAsync(await Service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/seances/{seanceId}/invitations",
            new { partnerIds = new[] { partner }, expectedVersion = await Steps.SeanceVersionAsync(seanceId) }), 200);

        var docx = await Service.GetAsync(Council.Animateur, $"{Council.Api}/seances/{seanceId}/emargement/docx");
        await Answers.ExpectAsync(docx, 200);
        var bytes = await docx.Content.ReadAsByteArrayAsync();
        DocxValidity.AssertValid(bytes, "the émargement sheet");
        using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.NotNull(zip.GetEntry("word/document.xml"));
        var everything = new StringBuilder();
        foreach (var part in zip.Entries)
        {
            using var reader = new StreamReader(part.Open());
            everything.Append(await reader.ReadToEndAsync());
        }
        var html = await (await Service.GetAsync(Council.Animateur, $"{Council.Api}/seances/{seanceId}/emargement/html")).Content.ReadAsStringAsync();
        var animateur = await Service.GetJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/me");
        foreach (var content in new[] { everything.ToString(), html })
        {
            Leaks.AssertNone(content, Leaks.Of(person), "the feuille d'émargement");
            Assert.Contains("Association de quartier", content);
            Assert.Contains(animateur.GetProperty("displayName").GetString()!, content);
            Assert.Contains("Partie nominative", content);
        }

        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var page = await client.GetAsync($"/c/{Council.Code}/seances/{seanceId}?handler=Emargement&format=html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }
}
