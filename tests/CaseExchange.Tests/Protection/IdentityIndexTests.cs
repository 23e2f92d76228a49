using System.Net.Http.Json;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Retention.RightOfAccess;
using CaseExchange.Seances;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Journal;
using CaseExchange.Tests.Seances;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseExchange.Tests.Protection;

/// <summary>
/// A council with fictitious persons spread over two groups and several séances: one in group B (another group), one on
/// next week's ODJ of group A, one examined at a closed séance of group A. Every clear-text field is tried with their
/// identities.
/// </summary>
public sealed class IdentityIndexFixture : CouncilFixture
{
    // Restarts a service on its database and reads it below the service.
    protected override bool OwnHost => true;

    /// <summary>In group B: a surname with a particle written joined, for the split variants.</summary>
    public static readonly TestPerson InOtherGroup = new("Delaquintinière", "Évariste", new DateOnly(2009, 4, 12), "8 allée des Pangolins",
        "07 98 76 54 32", "evariste.dq@exemple.test");

    /// <summary>On next week's ODJ in group A: a compound surname, for the initials alone.</summary>
    public static readonly TestPerson NextWeek = new("Brindillon-Ketterer", "Anselmine", new DateOnly(2008, 7, 21), "3 rue des Ocelots",
        "07 11 22 33 44", "anselmine.bk@exemple.test");

    public static readonly TestPerson Examined = new("Vermicellini", "Gaspardine", new DateOnly(2011, 1, 5), "5 chemin des Tatous",
        "07 55 66 77 88", "gaspardine.v@exemple.test");

    public Guid InOtherGroupSituation { get; private set; }
    public Guid NextWeekSituation { get; private set; }
    public ClosedSeance ClosedSeance { get; private set; } = null!;
    public Guid OpenSeanceToday { get; private set; }
    public SeanceSteps Seances { get; private set; } = null!;

    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        Seances = new SeanceSteps(service, Council);
        InOtherGroupSituation = await IdentityIndexTests.ReferAsync(service, Council, Council.MemberOfOtherGroup, Council.GroupB, InOtherGroup, "Faits fictifs du groupe B");
        NextWeekSituation = (await Council.ReferAsync(service, NextWeek, "Faits fictifs de la semaine prochaine")).Id;
        var nextWeek = await Seances.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(7));
        await Seances.PlaceAsync(NextWeekSituation, nextWeek);
        ClosedSeance = await Seances.ClosedSeanceAsync([Examined]);
        OpenSeanceToday = await Seances.ScheduleAsync();
    }
}

public sealed class IdentityIndexTests(IdentityIndexFixture fixture) : IClassFixture<IdentityIndexFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    /// <summary>Every variant names a live person of the council who is not concerned by the séance or situation where it is typed.</summary>
    public static readonly TheoryData<string> Variants =
    [
        "Delaquintinière", "DE LAQUINTINIERE", "de Laquintinière", "De Laquintiniere", "Delaquint", "Évariste", "evariste", "E. D.", "ED",
        "né le 12/04/2009", "12.04.2009", "07.98.76.54.32", "+33 7 98 76 54 32", "evariste.dq@exemple.test", "allée des Pangolins",
        "Brindillon", "Ketterer", "Anselmine Brindillon-Ketterer", "B. K.", "BK", "A.B.K.", "rue des Ocelots", "Vermicellini", "Gaspardine",
    ];

    public static async Task<Guid> ReferAsync(TestService service, TestCouncil council, string subject, Guid group, TestPerson person, string facts,
        params (TestPerson Person, string Role)[] others)
    {
        var created = await service.PostJsonAsync<JsonElement>(subject, $"{council.Api}/situations", new
        {
            groupId = group, reasons = new[] { "decrochage-scolaire" }, sector = "nord", urgency = "normale",
            persons = new[] { person.AsRequest(PersonRoles.Followed) }.Concat(others.Select(o => o.Person.AsRequest(o.Role))).ToArray(),
            facts,
        }, 201);
        return created.GetProperty("situationId").GetGuid();
    }

    /// <summary>
    /// The one text typed for action owners and séance guests: a partner organisation's name, registered in the directory
    /// by the coordonnateur (owners and guests are then chosen from it by id).
    /// </summary>
    private async Task<HttpResponseMessage> RegisterPartnerAsync(string organisation, long? expectedVersion = null, string role = "mediateur") =>
        await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/partners", new { organisation, role, expectedVersion });

    private async Task<long> CouncilVersionAsync()
    {
        await using var session = Service.Store.QuerySession(Council.Code);
        return (await session.Events.FetchStreamStateAsync(CaseExchange.Councils.Council.StreamId, TestContext.Current.CancellationToken))!.Version;
    }

    private Task<IReadOnlyList<AccessJournalled>> CouncilChainAsync() => Service.JournalAsync(Council.Code, JournalChains.CouncilSituationId);

    /// <summary>What a client may compare between two refusals: everything but the request's own trace.</summary>
    private static string Comparable(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject().Where(p => p.Name is not ("traceId" or "instance" or "findings"))
            .ToDictionary(p => p.Name, p => p.Value));

    private static async Task<long> RefusalsOnSeanceAsync(TestService service, string council, Guid seance)
    {
        await using var session = service.Store.QuerySession(council);
        return (await session.Events.FetchStreamAsync(seance)).Count(e => e.Data is CompteRenduTextRefused);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_name_of_any_live_person_of_the_council_is_refused_in_every_clear_text_field_with_one_message_and_journalled(string variant)
    {
        var erasable = fixture.NextWeekSituation;
        var councilJournalBefore = (await CouncilChainAsync()).Count;
        var erasureJournalBefore = (await Service.JournalAsync(Council.Code, erasable)).Count;
        var closedRefusals = await RefusalsOnSeanceAsync(Service, Council.Code, fixture.ClosedSeance.SeanceId);

        var labels = new Dictionary<string, string>
        {
            ["synthese"] = "Le texte « synthèse générale »", ["organisation"] = "Le nom de l'organisation",
            ["reference"] = "La référence de la décision",
        };
        var refusals = new Dictionary<string, JsonElement>
        {
            ["synthese"] = await Answers.ProblemAsync(await fixture.Seances.GenerateAsync(fixture.ClosedSeance.SeanceId, $"Point sur {variant} ce mois-ci."), 400),
            ["organisation"] = await Answers.ProblemAsync(await RegisterPartnerAsync($"Service {variant}"), 400),
            ["reference"] = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{erasable}/erasure-orders",
                new { reason = "decision-de-justice", reference = $"TJ {variant}" }), 400),
        };

        foreach (var (field, problem) in refusals)
        {
            Assert.Equal(IdentifyingText.Problem, problem.GetProperty("type").GetString());
            var errors = problem.GetProperty("errors").EnumerateObject().ToList();
            Assert.Equal(field, Assert.Single(errors).Name);
            // One generic message: it names the field and never which kind of identity matched, nor repeats the text.
            Assert.Equal(IdentifyingText.Message(labels[field]), Assert.Single(errors[0].Value.EnumerateArray()).GetString());
            // (Two letters such as "ED" occur in any French text: only longer variants can be searched for.)
            if (variant.Length > 3) Assert.DoesNotContain(variant, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        }

        // Every refusal is recorded: on the council's or the situation's journal chain, or on the séance; never the text.
        var entry = (await CouncilChainAsync()).Skip(councilJournalBefore).Single();
        Assert.Equal((JournalActions.IdentifyingTextRefused, false, Refusals.IdentifyingText, Council.Id(Council.Coordonnateur)),
            (entry.Action, entry.Granted, entry.Refusal, entry.MemberId));
        Assert.Equal(JournalActions.IdentifyingTextRefused, (await Service.JournalAsync(Council.Code, erasable)).Skip(erasureJournalBefore).Single().Action);
        Assert.Equal(closedRefusals + 1, await RefusalsOnSeanceAsync(Service, Council.Code, fixture.ClosedSeance.SeanceId));
        var stored = await Service.StoredJournalAsync(Council.Code);
        if (variant.Length > 3) Assert.DoesNotContain(variant, stored, StringComparison.OrdinalIgnoreCase);
        await using var session = Service.Store.QuerySession(Council.Code);
        Assert.False((await session.LoadAsync<CaseExchange.Situations.Situation>(erasable, TestContext.Current.CancellationToken))!.IsErased);
    }

    [Fact]
    public async Task No_refusal_tells_which_kind_of_identity_matched()
    {
        var answers = new List<string>();
        foreach (var variant in new[] { "Delaquintinière", "Évariste", "E. D.", "né le 12/04/2009", "07 98 76 54 32", "evariste.dq@exemple.test", "allée des Pangolins" })
            answers.Add(Comparable(await Answers.ProblemAsync(await RegisterPartnerAsync(variant), 400)));
        Assert.Single(answers.Distinct());
    }

    [Fact]
    public async Task Ordinary_organisations_and_texts_pass()
    {
        await Answers.ExpectAsync(await RegisterPartnerAsync("Prévention spécialisée Nord", role: "educateur-prevention"), 200);
        await Answers.ExpectAsync(await RegisterPartnerAsync("Association de quartier Est"), 200);
    }

    [Fact]
    public async Task The_oracle_attack_gets_the_same_409_whether_the_guessed_name_matches_or_not_and_learns_nothing()
    {
        var stale = await CouncilVersionAsync() - 1;
        var journal = (await CouncilChainAsync()).Count;

        var matching = await Answers.ProblemAsync(await RegisterPartnerAsync("Delaquintinière", stale), 409);
        var notMatching = await Answers.ProblemAsync(await RegisterPartnerAsync("Organisme Quelconque", stale), 409);
        var birthDate = await Answers.ProblemAsync(await RegisterPartnerAsync("12/04/2009", stale), 409);

        Assert.Equal(Comparable(notMatching), Comparable(matching));
        Assert.Equal(Comparable(notMatching), Comparable(birthDate));
        Assert.Equal(journal, (await CouncilChainAsync()).Count);

        // The same for a CR text with a stale séance version.
        var seance = fixture.ClosedSeance.SeanceId;
        var staleSeance = await fixture.Seances.SeanceVersionAsync(seance) - 1;
        async Task<string> Cr(string text) => Comparable(await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur,
            $"{Council.Api}/seances/{seance}/compte-rendu", new { synthese = text, notes = Array.Empty<object>(), expectedVersion = staleSeance }), 409));
        Assert.Equal(await Cr("Rien de particulier"), await Cr("Évariste Delaquintinière"));
    }

    [Fact]
    public async Task The_index_holds_keyed_hashes_only_and_forgets_an_erased_situation()
    {
        var person = new TestPerson("Ornicarmelle", "Hippolyte", new DateOnly(2010, 10, 10), "2 impasse des Lamantins", "07 00 11 22 33", "hippolyte.o@exemple.test");
        var situation = await ReferAsync(Service, Council, Council.MemberOfHoldingGroup, Council.GroupA, person, "Faits fictifs à effacer");
        Assert.Equal(IdentifyingText.Problem, (await Answers.ProblemAsync(await RegisterPartnerAsync("Ornicarmelle"), 400)).GetProperty("type").GetString());

        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        async Task<long> RowsAsync()
        {
            await using var count = new NpgsqlCommand($"select coalesce(sum(cardinality(terms)), 0)::bigint from caseexchange.{IdentityIndex.TableName} where council = $1 and situation_id = $2", connection)
            { Parameters = { new() { Value = Council.Code }, new() { Value = situation } } };
            return (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }
        Assert.True(await RowsAsync() > 20);
        await using (var sample = new NpgsqlCommand($"select string_agg(encode(term, 'escape'), ' ') from caseexchange.{IdentityIndex.TableName}, unnest(terms) term", connection))
        {
            var terms = (string)(await sample.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            Assert.DoesNotContain("ornicarmelle", terms, StringComparison.OrdinalIgnoreCase);
        }
        // Every term is a truncated keyed hash, never a clear term such as "w:ornicarmelle". (Looking for "w:" inside the
        // escaped hashes was flaky: 16 random bytes hold 0x77 0x3A now and then.)
        await using (var lengths = new NpgsqlCommand($"select count(*) from caseexchange.{IdentityIndex.TableName}, unnest(terms) term where octet_length(term) <> $1", connection)
                     { Parameters = { new() { Value = IdentityIndex.HashLength } } })
            Assert.Equal(0L, (long)(await lengths.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);

        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{situation}/erasure-orders", new { reason = "finalite-eteinte" });
        Assert.Equal(0, await RowsAsync());
        // What remains possible for an erased person: nothing of theirs is known any more, so their name is no longer refused.
        await Answers.ExpectAsync(await RegisterPartnerAsync("Ornicarmelle"), 200);
    }

    [Fact]
    public async Task The_right_of_access_document_shows_other_persons_by_role_only_and_masks_them_in_every_free_text()
    {
        var requester = new TestPerson("Pangolinelli", "Octavie", new DateOnly(2010, 2, 14), "4 rue des Fennecs", "07 12 12 12 12", "octavie.p@exemple.test");
        var sibling = new TestPerson("Pangolinelli", "Théodorine", new DateOnly(2012, 6, 6), "4 rue des Fennecs", "07 34 34 34 34", "theodorine.p@exemple.test");
        var facts = "Octavie vue avec Théodorine (07 34 34 34 34) et un voisin, M. Delaquintinière, le 3 mars.";
        await ReferAsync(Service, Council, Council.MemberOfHoldingGroup, Council.GroupA, requester, facts, (sibling, "membre-famille"));

        var response = await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/access-requests",
            new { nom = requester.Nom, prenom = requester.Prenom, dateNaissance = requester.DateNaissance });
        var document = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var held = Assert.Single(document.GetProperty("situations").EnumerateArray());
        var other = Assert.Single(held.GetProperty("otherPersons").EnumerateArray());
        Assert.Equal(RightOfAccessDocuments.OtherPerson, other.GetProperty("label").GetString());
        Assert.False(string.IsNullOrWhiteSpace(other.GetProperty("role").GetString()));
        var masked = held.GetProperty("facts").GetString()!;
        Assert.Contains("Octavie", masked);
        Assert.Contains(RightOfAccessDocuments.MaskedMention, masked);
        var raw = document.GetRawText();
        foreach (var secret in new[] { "Théodorine", "07 34 34 34 34", "theodorine.p", "Delaquintini", "Évariste" })
            Assert.DoesNotContain(secret, raw, StringComparison.OrdinalIgnoreCase);

        var html = await (await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/access-requests/document",
            new { nom = requester.Nom, prenom = requester.Prenom, dateNaissance = requester.DateNaissance })).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(RightOfAccessDocuments.Notice), html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(RightOfAccessDocuments.OtherPerson), html);
        foreach (var secret in new[] { "Théodorine", System.Net.WebUtility.HtmlEncode("Théodorine"), "07 34 34 34 34", "Delaquintini" })
            Assert.DoesNotContain(secret, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Situations_referred_before_the_index_existed_are_indexed_once_at_start_up()
    {
        var person = new TestPerson("Capybarini", "Léontine", new DateOnly(2009, 9, 9), "6 allée des Okapis", "07 09 09 09 09", "leontine.c@exemple.test");
        var situation = await ReferAsync(Service, Council, Council.MemberOfHoldingGroup, Council.GroupA, person, "Faits fictifs anciens");
        await using (var connection = new NpgsqlConnection(Service.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var forget = new NpgsqlCommand($"delete from caseexchange.{IdentityIndex.TableName} where situation_id = $1", connection)
            { Parameters = { new() { Value = situation } } };
            await forget.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            // A database older than the index has no back-fill mark either (another class's restart may have set this one).
            await using var unmark = new NpgsqlCommand($"delete from caseexchange.{IdentityIndex.BackfillTableName} where council = $1", connection)
            { Parameters = { new() { Value = Council.Code } } };
            await unmark.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        await Answers.ExpectAsync(await RegisterPartnerAsync("Capybarini"), 200);

        // A restart (another node on the same database) indexes it, and marks the council's back-fill as done.
        await using (var restarted = await TestService.StartAsync(Service.ConnectionString)) { }
        Assert.True(await Service.Services.GetRequiredService<IdentityIndex>().BackfillCompletedAsync(Council.Code, TestContext.Current.CancellationToken));
        // (Another organisation name: the same one would be refused as already listed.)
        Assert.Equal(IdentifyingText.Problem, (await Answers.ProblemAsync(await RegisterPartnerAsync("Famille Capybarini"), 400)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_database_holding_the_index_in_its_former_shape_is_moved_to_one_row_per_person_at_start_up_once()
    {
        var person = new TestPerson("Tamanoirelli", "Eulalie", new DateOnly(2010, 3, 3), "9 rue des Tapirs", "07 03 03 03 03", "eulalie.t@exemple.test");
        var situation = await ReferAsync(Service, Council, Council.MemberOfHoldingGroup, Council.GroupA, person, "Faits fictifs d'avant",
            (new TestPerson("Tamanoirelli", "Gontran", new DateOnly(1980, 1, 1), "9 rue des Tapirs", "07 04 04 04 04", "gontran.t@exemple.test"), "representant-legal"));
        var cancellation = TestContext.Current.CancellationToken;
        var index = Service.Services.GetRequiredService<IdentityIndex>();
        Assert.Single(await index.FindAsync(Council.Code, person.Nom, person.Prenom, person.DateNaissance, cancellation));
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync(cancellation);
        async Task<object?> ScalarAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = Council.Code }, new() { Value = situation } } };
            return await command.ExecuteScalarAsync(cancellation);
        }
        const string Rows = $"select string_agg(person_id || ' ' || role || ' ' || (select string_agg(encode(t, 'hex'), ',' order by t) from unnest(terms) t), ';' order by person_id) " +
                            $"from caseexchange.{IdentityIndex.TableName} where council = $1 and situation_id = $2";
        var before = (string)(await ScalarAsync(Rows))!;

        // The former shape, as an older version left it: one row per term, the situation's persons only there. The council
        // stays marked as back-filled, so only the move can make them found again (the back-fill would not look).
        async Task ExecuteAsync(string sql, params object[] values)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var value in values) command.Parameters.Add(new() { Value = value });
            await command.ExecuteNonQueryAsync(cancellation);
        }
        const string Legacy = $"caseexchange.{IdentityIndex.LegacyTableName}";
        await ExecuteAsync($"create table {Legacy} (council varchar not null, situation_id uuid not null, person_id uuid not null, " +
                           "term bytea not null, role varchar not null, primary key (council, situation_id, person_id, term))");
        await ExecuteAsync($"create index ix_identity_index_term on {Legacy} (council, term)");
        await ExecuteAsync($"insert into {Legacy} (council, situation_id, person_id, term, role) select council, situation_id, person_id, unnest(terms), role " +
                           $"from caseexchange.{IdentityIndex.TableName} where council = $1 and situation_id = $2", Council.Code, situation);
        await ExecuteAsync($"delete from caseexchange.{IdentityIndex.TableName} where council = $1 and situation_id = $2", Council.Code, situation);
        await ExecuteAsync($"insert into caseexchange.{IdentityIndex.BackfillTableName} (council, completed_at) values ($1, now()) on conflict do nothing", Council.Code);
        Assert.Empty(await index.FindAsync(Council.Code, person.Nom, person.Prenom, person.DateNaissance, cancellation));

        await using (var restarted = await TestService.StartAsync(Service.ConnectionString)) { }
        Assert.Equal(true, await ScalarAsync($"select to_regclass('caseexchange.{IdentityIndex.LegacyTableName}') is null and $1::text is not null and $2::uuid is not null"));
        Assert.Equal(before, (string)(await ScalarAsync(Rows))!);
        Assert.Single(await index.FindAsync(Council.Code, person.Nom, person.Prenom, person.DateNaissance, cancellation));
        Assert.Equal(IdentifyingText.Problem, (await Answers.ProblemAsync(await RegisterPartnerAsync("Association Tamanoirelli"), 400)).GetProperty("type").GetString());

        // Once moved, a second start finds nothing to move and changes nothing, nor rebuilds the GIN index.
        const string GinIndex = "select c.oid::bigint || ' ' || array_to_string(c.reloptions, ',') from pg_class c join pg_namespace n on n.oid = c.relnamespace " +
                                "where n.nspname = 'caseexchange' and c.relname = 'ix_identity_terms' and $1::text is not null and $2::uuid is not null";
        var gin = (string)(await ScalarAsync(GinIndex))!;
        Assert.Contains("fastupdate=off", gin);
        await using (var again = await TestService.StartAsync(Service.ConnectionString)) { }
        Assert.Equal(before, (string)(await ScalarAsync(Rows))!);
        Assert.Equal(gin, (string)(await ScalarAsync(GinIndex))!);
    }

    [Fact]
    public async Task No_search_answers_about_an_erased_situation()
    {
        var person = new TestPerson("Pottokarelli", "Sidonie", new DateOnly(2011, 11, 11), "1 rue des Zébus", "07 11 11 11 11", "sidonie.p@exemple.test");
        var situation = await ReferAsync(Service, Council, Council.MemberOfHoldingGroup, Council.GroupA, person, "Faits fictifs à oublier");
        var cancellation = TestContext.Current.CancellationToken;
        var index = Service.Services.GetRequiredService<IdentityIndex>();
        // The search by surname and birth date (every term must match: GIN's containment).
        var surnameAndBirth = CaseExchange.Situations.Search.SearchSituationsUseCase.TermsOf(new(null, person.Nom, null, person.DateNaissance, null));
        Assert.Equal(2, surnameAndBirth.Count);
        Assert.Equal(situation, Assert.Single(await index.FindAsync(Council.Code, person.Nom, person.Prenom, person.DateNaissance, cancellation)).SituationId);
        Assert.Equal(situation, Assert.Single(await index.FindHavingAllAsync(Council.Code, surnameAndBirth, cancellation)).SituationId);
        Assert.True((await index.GuardForAsync(Council.Code, ["Vu Sidonie Pottokarelli"], cancellation)).Names("Vu Sidonie Pottokarelli"));

        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{situation}/erasure-orders", new { reason = "finalite-eteinte" });

        Assert.Empty(await index.FindAsync(Council.Code, person.Nom, person.Prenom, person.DateNaissance, cancellation));
        Assert.Empty(await index.FindHavingAllAsync(Council.Code, surnameAndBirth, cancellation));
        Assert.False((await index.GuardForAsync(Council.Code, ["Vu Sidonie Pottokarelli"], cancellation)).Names("Vu Sidonie Pottokarelli"));
        var document = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/access-requests",
            new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance });
        Assert.Empty(document.GetProperty("situations").EnumerateArray());
    }

    [Fact]
    public async Task Action_owners_and_guests_are_chosen_from_the_partner_directory()
    {
        var partner = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/partners",
            new { organisation = "Prévention spécialisée Sud", role = "educateur-prevention" });
        var partnerId = partner.GetProperty("partnerId").GetGuid();
        var directory = await Service.GetJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/partners");
        var listed = directory.GetProperty("partners").EnumerateArray().Single(p => p.GetProperty("partnerId").GetGuid() == partnerId);
        Assert.Equal("Éducateur de prévention spécialisée", listed.GetProperty("roleLabel").GetString());

        var situation = fixture.ClosedSeance.Examined[0].Id;
        await Answers.ExpectAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/situations/{situation}/follow-up", new
        {
            referentId = Council.Id(Council.Referent), expectedVersion = await Council.VersionOfAsync(Service, situation),
            actions = new[] { new { kind = "mediation", ownerPartnerId = partnerId, dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)), description = "Action fictive" } },
        }), 200);
        var view = await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{situation}");
        Assert.Contains(view.GetProperty("actions").EnumerateArray(), a => a.GetProperty("ownerOrganisation").GetString() == "Prévention spécialisée Sud"
                                                                           && a.GetProperty("ownerRole").GetString() == "Éducateur de prévention spécialisée");
        await Answers.ExpectAsync(await fixture.Seances.RecordAttendanceAsync(fixture.OpenSeanceToday, [Council.Animateur], guests: [new { partnerId }]), 200);
        var seance = await fixture.Seances.ViewAsync(fixture.OpenSeanceToday);
        Assert.Contains("Prévention spécialisée Sud", seance.GetRawText());

        var unknown = await Answers.ProblemAsync(await fixture.Seances.RecordAttendanceAsync(fixture.OpenSeanceToday, [Council.Animateur],
            guests: [new { partnerId = Guid.NewGuid() }]), 400);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("guests[0].partnerId", out _));

        // There is no other way: a guest without a partner id is a field error, a typed organisation or function an unknown
        // property that makes the body malformed (also next to a partner id), answered without repeating it.
        var before = await Service.EventCountAsync();
        var missing = await Answers.ProblemAsync(await fixture.Seances.RecordAttendanceAsync(fixture.OpenSeanceToday, [Council.Animateur],
            guests: [new { }]), 400);
        Assert.Equal("Choisissez une organisation de l'annuaire des partenaires du conseil.",
            missing.GetProperty("errors").GetProperty("guests[0].partnerId")[0].GetString());
        foreach (var typed in new object[] { new { organisation = "Association Delaquintinière", function = "Bénévole" }, new { partnerId, function = "Tante Évariste" } })
        {
            var problem = await Answers.ProblemAsync(await fixture.Seances.RecordAttendanceAsync(fixture.OpenSeanceToday, [Council.Animateur], guests: [typed]), 400);
            Assert.Equal(CaseExchange.Http.ProblemTypes.MalformedBody, problem.GetProperty("type").GetString());
            Assert.DoesNotContain("Delaquinti", problem.GetRawText());
            Assert.DoesNotContain("Évariste", problem.GetRawText());
        }
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task The_directory_takes_roles_from_the_charter_refuses_a_known_person_and_is_managed_by_the_coordonnateur()
    {
        var journal = (await CouncilChainAsync()).Count;
        var named = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/partners",
            new { organisation = "Famille Delaquintinière", role = "mediateur" }), 400);
        Assert.Equal(IdentifyingText.Problem, named.GetProperty("type").GetString());
        Assert.DoesNotContain("Delaquinti", named.GetRawText());
        // The refusal is journalled on the council's chain (who, when), never the text.
        var entry = (await CouncilChainAsync()).Skip(journal).Single();
        Assert.Equal((JournalActions.IdentifyingTextRefused, false, Refusals.IdentifyingText, Council.Id(Council.Coordonnateur)),
            (entry.Action, entry.Granted, entry.Refusal, entry.MemberId));
        Assert.DoesNotContain("Delaquinti", await Service.StoredJournalAsync(Council.Code), StringComparison.OrdinalIgnoreCase);
        var role = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Council.Api}/partners",
            new { organisation = "Association", role = "voisin-bienveillant" }), 400);
        Assert.True(role.GetProperty("errors").TryGetProperty("role", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, $"{Council.Api}/partners",
            new { organisation = "Association", role = "mediateur" }), 403);
    }
}
