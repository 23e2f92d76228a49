using System.Text.Json;
using CaseExchange.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Authorization;

/// <summary>Who calls: one column per position the charter distinguishes.</summary>
public enum Caller
{
    Coordonnateur,
    Animateur,
    MemberOfHoldingGroup,
    MemberOfOtherGroup,
    UnsignedMember,
    RemovedMember,
    Auditeur,
    President,
    /// <summary>The maire of one commune of the council (designated by the coordonnateur): his commune's statistics only.</summary>
    Maire,
    OtherCouncil,
    Anonymous,
}

public class MatrixFixture : ServiceFixture
{
    public TestCouncil Council { get; private set; } = null!;
    public TestCouncil Other { get; private set; } = null!;
    public SituationSteps Steps { get; private set; } = null!;
    public Guid Partner { get; private set; }

    protected override async Task SeedAsync(TestService service)
    {
        Council = await TestCouncil.CreateAsync(service, "matrice");
        Other = await TestCouncil.CreateAsync(service, "voisin");
        Steps = new SituationSteps(service, Council);
        Partner = await Council.PartnerAsync(service);
        // An intercommunal council: sector nord in Valence, whose maire is designated.
        await Answers.ExpectAsync(await service.SendAsync(Council.Coordonnateur, HttpMethod.Put, $"{Council.Api}/sectors/nord/commune", new { commune = MaireCommune }), 200);
        MaireId = await Steps.NewMemberAsync();
        var designated = await service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members/{MaireId}/maire", new { commune = MaireCommune });
        MaireSubject = designated.GetProperty("subject").GetString()!;
    }

    public const string MaireCommune = "Valence";
    public Guid MaireId { get; private set; }
    public string MaireSubject { get; private set; } = "";

    public string? SubjectOf(Caller caller) => caller switch
    {
        Caller.Coordonnateur => Council.Coordonnateur,
        Caller.Animateur => Council.Animateur,
        Caller.MemberOfHoldingGroup => Council.MemberOfHoldingGroup,
        Caller.MemberOfOtherGroup => Council.MemberOfOtherGroup,
        Caller.UnsignedMember => Council.UnsignedMember,
        Caller.RemovedMember => Council.RemovedMember,
        Caller.Auditeur => Council.Auditeur,
        Caller.President => Council.President,
        Caller.Maire => MaireSubject,
        // The coordonnateur of another council: powerful there, nobody here.
        Caller.OtherCouncil => Other.Coordonnateur,
        _ => null,
    };
}

/// <summary>
/// Every endpoint × every caller → the expected answer. An endpoint added to the service without a row here makes
/// <see cref="Every_endpoint_of_the_service_is_in_the_matrix"/> fail.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixFixture fixture) : IClassFixture<MatrixFixture>
{
    private const int Ok = 200, Created = 201, Forbidden = 403, Unauthenticated = 401, Conflict = 409, NotFound = 404;

    /// <summary>A request built for one caller, on state prepared for that cell only when the call changes state.</summary>
    public delegate Task<(HttpMethod Method, string Url, object? Body)> Arrange(MatrixFixture f, Caller caller);

    public sealed record Row(Arrange Arrange, IReadOnlyDictionary<Caller, int> Expected);

    private static Row Allow(Arrange arrange, int status, params Caller[] allowed) => new(arrange,
        Enum.GetValues<Caller>().ToDictionary(c => c, c =>
            c == Caller.Anonymous ? Unauthenticated : allowed.Contains(c) ? status : Forbidden));

    /// <summary>The same row, with other answers for some callers.</summary>
    private static Row Except(Row row, params (Caller Caller, int Status)[] exceptions) =>
        row with { Expected = row.Expected.ToDictionary(e => e.Key, e => exceptions.FirstOrDefault(x => x.Caller == e.Key) is { Status: > 0 } x ? x.Status : e.Value) };

    /// <summary>A new sector in a commune of its own, for a designation that must not meet another maire.</summary>
    private static async Task<string> NewCommuneAsync(MatrixFixture f)
    {
        var commune = $"Commune {Guid.NewGuid():N}"[..20];
        await f.Service.PostJsonAsync<JsonElement>(f.Council.Coordonnateur, $"{Api(f)}/sectors",
            new { code = $"s{Guid.NewGuid():N}"[..12], label = "Secteur", commune });
        return commune;
    }

    private static Row Public(Arrange arrange) => new(arrange, Enum.GetValues<Caller>().ToDictionary(c => c, _ => Ok));

    private static readonly Caller[] CouncilMembers =
    [
        Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup, Caller.MemberOfOtherGroup, Caller.UnsignedMember,
        Caller.RemovedMember, Caller.Auditeur, Caller.President, Caller.Maire,
    ];

    private static readonly Caller[] AnonymisedReaders =
    [
        Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup, Caller.MemberOfOtherGroup, Caller.UnsignedMember, Caller.Auditeur,
    ];

    /// <summary>Need to know: the anonymised rows of a group go to its members under the charter in force, and to the council roles.</summary>
    private static readonly Caller[] SignedAnonymisedReaders = [.. AnonymisedReaders.Where(c => c != Caller.UnsignedMember)];

    private static readonly Caller[] Leads = [Caller.Coordonnateur, Caller.Animateur];

    /// <summary>Groups, their members and séances: every member of the council but the président (statistics only).</summary>
    private static readonly Caller[] GroupReaders =
    [
        Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup, Caller.MemberOfOtherGroup, Caller.UnsignedMember,
        Caller.RemovedMember, Caller.Auditeur,
    ];

    private static (HttpMethod, string, object?) Get(string url) => (HttpMethod.Get, url, null);
    private static (HttpMethod, string, object?) Post(string url, object body) => (HttpMethod.Post, url, body);
    private static string Api(MatrixFixture f) => f.Council.Api;
    private static DateOnly InAMonth => DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30));

    public static readonly IReadOnlyDictionary<string, Row> Matrix = new Dictionary<string, Row>
    {
        ["GET /health/live"] = Public((_, _) => Task.FromResult(Get("/health/live"))),
        ["GET /health/ready"] = Public((_, _) => Task.FromResult(Get("/health/ready"))),
        ["GET /openapi/{documentName}.json"] = Public((_, _) => Task.FromResult(Get("/openapi/v1.json"))),
        ["POST /dev/tokens"] = Public((_, _) => Task.FromResult(Post("/dev/tokens", new { subject = "quiconque" }))),

        ["GET /api/councils/{council}"] = Allow((f, _) => Task.FromResult(Get(Api(f))), Ok, CouncilMembers),
        ["GET /api/councils/{council}/me"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/me")), Ok, CouncilMembers),
        ["PUT /api/councils/{council}/sectors/{code}/commune"] = Allow((f, caller) =>
            Task.FromResult<(HttpMethod, string, object?)>((HttpMethod.Put, $"{Api(f)}/sectors/sud/commune", new { commune = $"Commune {caller} {Guid.NewGuid():N}"[..40] })), Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/members/{memberId}/maire"] = Allow(async (f, _) =>
            Post($"{Api(f)}/members/{await f.Steps.NewMemberAsync()}/maire", new { commune = await NewCommuneAsync(f) }), Ok, Caller.Coordonnateur),
        ["DELETE /api/councils/{council}/members/{memberId}/maire"] = Allow(async (f, _) =>
        {
            var member = await f.Steps.NewMemberAsync();
            await f.Service.PostJsonAsync<JsonElement>(f.Council.Coordonnateur, $"{Api(f)}/members/{member}/maire", new { commune = await NewCommuneAsync(f) });
            return (HttpMethod.Delete, $"{Api(f)}/members/{member}/maire", null);
        }, Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/sectors"] = Allow((f, _) =>
            Task.FromResult(Post($"{Api(f)}/sectors", new { code = $"s{Guid.NewGuid():N}"[..12], label = "Secteur" })), Ok, Caller.Coordonnateur),
        ["GET /api/councils/{council}/partners"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/partners")), Ok, CouncilMembers),
        ["POST /api/councils/{council}/partners"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/partners",
            new { organisation = $"Association {Guid.NewGuid():N}"[..24], role = "mediateur" })), Ok, Caller.Coordonnateur),
        // Each member's own notification settings (their address is shown to nobody else).
        ["GET /api/councils/{council}/me/notifications"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/me/notifications")), Ok, CouncilMembers),
        ["GET /api/councils/{council}/me/traces"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/me/traces")), Ok, CouncilMembers),
        ["PUT /api/councils/{council}/me/notifications"] = Allow((f, _) => Task.FromResult((HttpMethod.Put, $"{Api(f)}/me/notifications",
            (object?)new { email = (string?)null, disabledKinds = Array.Empty<string>() })), Ok, CouncilMembers),
        ["GET /api/councils/{council}/charter"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/charter")), Ok, CouncilMembers),
        // Signing is everyone's own act. A wrong version keeps the matrix from changing anyone's signatures:
        // every member is authorised and told which version is in force (409); signing itself is tested in CharterTests.
        ["POST /api/councils/{council}/charter/signatures"] = Allow((f, _) =>
            Task.FromResult(Post($"{Api(f)}/charter/signatures", new { version = "1999.1" })), Conflict, CouncilMembers),
        // Only the version in force exists: the coordonnateur is authorised but told it is already in force.
        ["POST /api/councils/{council}/charter/adoptions"] = Allow((f, _) =>
            Task.FromResult(Post($"{Api(f)}/charter/adoptions", new { version = "2026.1" })), Conflict, Caller.Coordonnateur),
        // A council's own charter version (within the deployment's bounds): the coordonnateur; an empty one is refused before anything.
        ["POST /api/councils/{council}/charter/versions"] = Allow((f, _) =>
            Task.FromResult(Post($"{Api(f)}/charter/versions", new { version = "" })), 400, Caller.Coordonnateur),

        ["GET /api/councils/{council}/members"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/members")), Ok, Caller.Coordonnateur, Caller.Auditeur),
        ["POST /api/councils/{council}/members"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/members",
            new { subject = $"x-{Guid.NewGuid():N}", displayName = "X", organisation = "O", function = "F", councilRoles = Array.Empty<string>() })),
            Created, Caller.Coordonnateur),
        ["GET /api/councils/{council}/members/{memberId}"] = Allow((f, _) =>
            Task.FromResult(Get($"{Api(f)}/members/{f.Council.Id(f.Council.Animateur)}")), Ok, Caller.Coordonnateur, Caller.Auditeur, Caller.Animateur),
        ["POST /api/councils/{council}/members/{memberId}/roles"] = Allow(async (f, _) =>
            Post($"{Api(f)}/members/{await f.Steps.NewMemberAsync()}/roles", new { role = "auditeur" }), Ok, Caller.Coordonnateur),
        ["DELETE /api/councils/{council}/members/{memberId}/roles/{role}"] = Allow(async (f, _) =>
            (HttpMethod.Delete, $"{Api(f)}/members/{await f.Steps.NewMemberAsync("auditeur")}/roles/auditeur", null), Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/members/{memberId}/deactivation"] = Allow(async (f, _) =>
            Post($"{Api(f)}/members/{await f.Steps.NewMemberAsync()}/deactivation", new { }), Ok, Caller.Coordonnateur),

        // Charte: the coordonnateur suspends a member's accesses at once, as a precaution, and lifts the suspension.
        ["POST /api/councils/{council}/members/{memberId}/suspension"] = Allow(async (f, _) =>
            Post($"{Api(f)}/members/{await f.Steps.NewMemberAsync()}/suspension", new { reason = "manquement-presume" }), Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/members/{memberId}/reinstatement"] = Allow(async (f, _) =>
        {
            var member = await f.Steps.NewMemberAsync();
            await f.Service.PostJsonAsync<System.Text.Json.JsonElement>(f.Council.Coordonnateur, $"{Api(f)}/members/{member}/suspension", new { reason = "manquement-presume" });
            return Post($"{Api(f)}/members/{member}/reinstatement", new { reason = "manquement-non-etabli" });
        }, Ok, Caller.Coordonnateur),

        ["GET /api/councils/{council}/groups"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/groups")), Ok, GroupReaders),
        ["GET /api/councils/{council}/groups/{groupId}"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/groups/{f.Council.GroupA}")), Ok, GroupReaders),
        ["POST /api/councils/{council}/groups"] = Allow((f, _) =>
            Task.FromResult(Post($"{Api(f)}/groups", new { name = $"GT {Guid.NewGuid():N}", kind = "thematique" })), Created, Caller.Coordonnateur),
        ["PUT /api/councils/{council}/groups/{groupId}/kind"] = Allow(async (f, _) =>
            (HttpMethod.Put, $"{Api(f)}/groups/{await f.Steps.NewGroupAsync()}/kind", new { kind = "operationnel" }), Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/groups/{groupId}/members"] = Allow(async (f, _) =>
            Post($"{Api(f)}/groups/{await f.Steps.NewGroupAsync()}/members", new { memberId = f.Council.Id(f.Council.Referent), role = "membre" }),
            Ok, Caller.Coordonnateur),
        ["PUT /api/councils/{council}/groups/{groupId}/members/{memberId}"] = Allow(async (f, _) =>
        {
            var group = await f.Steps.NewGroupAsync();
            var member = await f.Steps.NewMemberAsync();
            await f.Service.PostJsonAsync<JsonElement>(f.Council.Coordonnateur, $"{Api(f)}/groups/{group}/members", new { memberId = member, role = "membre" });
            return (HttpMethod.Put, $"{Api(f)}/groups/{group}/members/{member}", new { role = "animateur" });
        }, Ok, Caller.Coordonnateur),
        ["DELETE /api/councils/{council}/groups/{groupId}/members/{memberId}"] = Allow(async (f, _) =>
        {
            var group = await f.Steps.NewGroupAsync();
            var member = await f.Steps.NewMemberAsync();
            await f.Service.PostJsonAsync<JsonElement>(f.Council.Coordonnateur, $"{Api(f)}/groups/{group}/members", new { memberId = member, role = "membre" });
            return (HttpMethod.Delete, $"{Api(f)}/groups/{group}/members/{member}", null);
        }, Ok, Caller.Coordonnateur),

        ["POST /api/councils/{council}/groups/{groupId}/seances"] = Allow((f, _) =>
            Task.FromResult(Post($"{Api(f)}/groups/{f.Council.GroupA}/seances", new { date = DateTimeOffset.UtcNow.AddDays(3) })), Created, Leads),
        ["GET /api/councils/{council}/groups/{groupId}/seances"] = Allow((f, _) =>
            Task.FromResult(Get($"{Api(f)}/groups/{f.Council.GroupA}/seances")), Ok, GroupReaders),

        // Another group's séance is as unknown as one that does not exist.
        ["GET /api/councils/{council}/seances/{seanceId}"] = Except(Allow(async (f, _) =>
            Get($"{Api(f)}/seances/{await f.Steps.NewSeanceAsync()}"), Ok, SignedAnonymisedReaders), (Caller.MemberOfOtherGroup, NotFound)),
        ["POST /api/councils/{council}/seances/{seanceId}/agenda-publication"] = Allow(async (f, _) =>
            Post($"{Api(f)}/seances/{(await f.Steps.OnAgendaAsync()).Seance}/agenda-publication", new { expectedVersion = 1 }), Ok, Leads),
        ["PUT /api/councils/{council}/seances/{seanceId}/attendance"] = Allow(async (f, _) =>
            (HttpMethod.Put, $"{Api(f)}/seances/{await SeanceTodayAsync(f)}/attendance",
                new { nominativePart = new[] { f.Council.Id(f.Council.Animateur) }, expectedVersion = 1 }), Ok, Leads),
        ["POST /api/councils/{council}/seances/{seanceId}/closure"] = Allow(async (f, _) =>
            Post($"{Api(f)}/seances/{await SeanceTodayAsync(f, attended: true)}/closure", new { expectedVersion = 2 }), Ok, Leads),
        ["POST /api/councils/{council}/seances/{seanceId}/rescheduling"] = Allow(async (f, _) =>
            Post($"{Api(f)}/seances/{await f.Steps.NewSeanceAsync()}/rescheduling",
                new { date = DateTimeOffset.UtcNow.AddDays(12), reason = "calendrier", expectedVersion = 1 }), Ok, Leads),
        ["PUT /api/councils/{council}/seances/{seanceId}/place"] = Allow(async (f, _) =>
            (HttpMethod.Put, $"{Api(f)}/seances/{await f.Steps.NewSeanceAsync()}/place", new { place = "Mairie, salle du conseil", expectedVersion = 1 }), Ok, Leads),
        ["POST /api/councils/{council}/seances/{seanceId}/cancellation"] = Allow(async (f, _) =>
            Post($"{Api(f)}/seances/{await f.Steps.NewSeanceAsync()}/cancellation", new { reason = "quorum-insuffisant", expectedVersion = 1 }), Ok, Leads),
        ["POST /api/councils/{council}/seances/{seanceId}/convocations"] = Allow(async (f, _) =>
            Post($"{Api(f)}/seances/{await PlacedSeanceAsync(f)}/convocations", new { urgent = true, expectedVersion = 2 }), Created, Leads),
        // The convocation goes to whoever reads the séance (as the séance itself).
        ["GET /api/councils/{council}/seances/{seanceId}/convocations/{number}/{format}"] = Except(Allow(async (f, _) =>
            Get($"{Api(f)}/seances/{await PlacedSeanceAsync(f, convened: true)}/convocations/1/docx"), Ok, SignedAnonymisedReaders),
            (Caller.MemberOfOtherGroup, NotFound)),
        ["PUT /api/councils/{council}/seances/{seanceId}/invitations"] = Allow(async (f, _) =>
            (HttpMethod.Put, $"{Api(f)}/seances/{await f.Steps.NewSeanceAsync()}/invitations", new { partnerIds = Array.Empty<Guid>(), expectedVersion = 1 }), Ok, Leads),
        ["GET /api/councils/{council}/seances/{seanceId}/emargement/{format}"] = Allow(async (f, _) =>
            Get($"{Api(f)}/seances/{await f.Steps.NewSeanceAsync()}/emargement/html"), Ok, Leads),
        ["POST /api/councils/{council}/seances/{seanceId}/general-items"] = Allow(async (f, _) =>
            Post($"{Api(f)}/seances/{await f.Steps.NewSeanceAsync()}/general-items", new { kind = "phenomene", text = "Rodéos motorisés", expectedVersion = 1 }), Ok, Leads),
        ["POST /api/councils/{council}/seances/{seanceId}/compte-rendu"] = Allow(async (f, _) =>
            Post($"{Api(f)}/seances/{await SeanceTodayAsync(f, attended: true, closed: true)}/compte-rendu",
                new { synthese = "Synthèse générale.", expectedVersion = 3 }), Created, Leads),
        // The CR goes to the group's members under the charter, and to the coordonnateur who establishes it.
        ["GET /api/councils/{council}/seances/{seanceId}/compte-rendu"] = Allow(async (f, _) =>
            Get($"{Api(f)}/seances/{await SeanceTodayAsync(f, attended: true, closed: true)}/compte-rendu"),
            Ok, Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup),
        ["GET /api/councils/{council}/seances/{seanceId}/compte-rendu/{number}/{format}"] = Allow(async (f, _) =>
            Get($"{Api(f)}/seances/{await SeanceTodayAsync(f, attended: true, closed: true, reported: true)}/compte-rendu/1/docx"),
            Ok, Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup),
        // Withdrawing a CR version destroys its content: the coordonnateur only (not the animateur who may establish it).
        ["POST /api/councils/{council}/seances/{seanceId}/compte-rendu/versions/{number}/withdrawals"] = Allow(async (f, _) =>
            Post($"{Api(f)}/seances/{await SeanceTodayAsync(f, attended: true, closed: true, reported: true)}/compte-rendu/versions/1/withdrawals",
                new { reason = "erreur-materielle", expectedVersion = 4 }), Ok, Caller.Coordonnateur),
        // Plenary statistics: the coordonnateur and the président only.
        // The maire reads his commune's statistics (and only his: another commune is a 403, see MaireStatisticsTests).
        ["GET /api/councils/{council}/statistics"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/statistics")), Ok, Caller.Coordonnateur, Caller.President, Caller.Maire),
        // Plenary reports of fixed periods: the same readers publish (each caller its own closed year), list and download them.
        ["POST /api/councils/{council}/statistics/reports"] = Allow((f, caller) => Task.FromResult(Post($"{Api(f)}/statistics/reports",
            new { period = $"{DateTime.UtcNow.Year - 10 + (int)caller}" })), Created, Caller.Coordonnateur, Caller.President),
        ["GET /api/councils/{council}/statistics/reports"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/statistics/reports")), Ok, Caller.Coordonnateur, Caller.President),
        ["GET /api/councils/{council}/statistics/reports/{period}/{format}"] = Allow(async (f, _) =>
        {
            var period = $"{DateTime.UtcNow.Year - 12}-T1";
            await f.Service.PostAsync(f.Council.Coordonnateur, $"{Api(f)}/statistics/reports", new { period });
            return Get($"{Api(f)}/statistics/reports/{period}/csv");
        }, Ok, Caller.Coordonnateur, Caller.President),

        // The one-off spreadsheet import: the coordonnateur only (a header-only CSV writes nothing).
        ["POST /api/councils/{council}/imports"] = Allow((f, _) => Task.FromResult((HttpMethod.Post, $"{Api(f)}/imports",
            (object?)CaseExchange.Tests.Situations.SheetFiles.Upload(System.Text.Encoding.UTF8.GetBytes("groupe;motifs;secteur;urgence;nom;prénom;date de naissance;faits\n"), "vide.csv"))),
            Ok, Caller.Coordonnateur),
        // Duplicates at referral: ordinary members and the coordonnateur, under the charter; the answer is cut to the caller's groups.
        ["POST /api/councils/{council}/duplicate-checks"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/duplicate-checks",
            new { nom = "Zorglubovitch", prenom = "Philomène", dateNaissance = new DateOnly(2010, 1, 2) })),
            Ok, Caller.Coordonnateur, Caller.Animateur, Caller.MemberOfHoldingGroup, Caller.MemberOfOtherGroup, Caller.RemovedMember),
        // Search by pseudonym: the anonymised view's readers (by name: members of a holding group, see SearchSituationsTests).
        ["POST /api/councils/{council}/searches"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/searches", new { pseudonym = "S-2026-0001" })),
            Ok, SignedAnonymisedReaders),
        // Links between situations (a family, siblings): the coordonnateur only, without opening either.
        ["POST /api/councils/{council}/situation-links"] = Allow(async (f, _) => Post($"{Api(f)}/situation-links",
            new { situationId = await f.Steps.ReferredAsync(), otherSituationId = await f.Steps.ReferredAsync(), kind = "fratrie" }), Ok, Caller.Coordonnateur),
        ["DELETE /api/councils/{council}/situations/{situationId}/links/{linkId}"] = Allow(async (f, _) =>
        {
            var situation = await f.Steps.ReferredAsync();
            var link = await f.Service.PostJsonAsync<JsonElement>(f.Council.Coordonnateur, $"{Api(f)}/situation-links",
                new { situationId = situation, otherSituationId = await f.Steps.ReferredAsync(), kind = "famille" });
            return (HttpMethod.Delete, $"{Api(f)}/situations/{situation}/links/{link.GetProperty("linkId").GetGuid()}", null);
        }, Ok, Caller.Coordonnateur),
        // Referring is done in group A: its members and animateur, under the charter.
        ["POST /api/councils/{council}/situations"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/situations", new
        {
            groupId = f.Council.GroupA, reasons = new[] { "errance" }, sector = "nord", urgency = "normale",
            persons = new[] { TestPerson.Distinctive("M").AsRequest("personne-suivie") }, facts = "Faits fictifs",
        })), Created, Caller.Animateur, Caller.MemberOfHoldingGroup),
        ["GET /api/councils/{council}/situations"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/situations")), Ok, SignedAnonymisedReaders),
        ["GET /api/councils/{council}/situations/{situationId}"] = Except(Allow(async (f, _) =>
            Get($"{Api(f)}/situations/{await f.Steps.ReferredAsync()}"), Ok, SignedAnonymisedReaders), (Caller.MemberOfOtherGroup, NotFound)),
        ["POST /api/councils/{council}/situations/{situationId}/agenda"] = Allow(async (f, _) =>
            Post($"{Api(f)}/situations/{await f.Steps.ReferredAsync()}/agenda", new { seanceId = await f.Steps.NewSeanceAsync(), expectedVersion = 1 }),
            Ok, Leads),
        ["POST /api/councils/{council}/situations/{situationId}/examinations"] = Allow(async (f, _) =>
        {
            var (situation, seance) = await f.Steps.OnAgendaAsync();
            return Post($"{Api(f)}/situations/{situation}/examinations", new
            {
                seanceId = seance, discussionSummary = "Résumé", expectedVersion = 2, decisions = new[] { new { kind = "orientation" } },
            });
        }, Ok, Leads),
        ["POST /api/councils/{council}/situations/{situationId}/follow-up"] = Allow(async (f, _) =>
            Post($"{Api(f)}/situations/{await f.Steps.ExaminedAsync()}/follow-up", new
            {
                referentId = f.Council.Id(f.Council.Referent), expectedVersion = 3,
                actions = new[] { new { kind = "mediation", ownerPartnerId = f.Partner, dueOn = InAMonth, description = "Action" } },
            }), Ok, Leads),
        // Only the designated référent records a follow-up: here the member of the holding group is the référent.
        ["POST /api/councils/{council}/situations/{situationId}/follow-up/records"] = Allow(async (f, _) =>
        {
            var (situation, action) = await f.Steps.FollowedUpAsync(f.Council.MemberOfHoldingGroup);
            return Post($"{Api(f)}/situations/{situation}/follow-up/records", new { actionId = action, status = "realisee", note = "Fait", expectedVersion = 4 });
        }, Ok, Caller.MemberOfHoldingGroup),
        ["POST /api/councils/{council}/situations/{situationId}/transfer"] = Allow(async (f, _) =>
            Post($"{Api(f)}/situations/{await f.Steps.ReferredAsync()}/transfer", new { toGroupId = f.Council.GroupB, reason = "Motif", expectedVersion = 1 }),
            Ok, Leads),
        ["POST /api/councils/{council}/situations/{situationId}/closure"] = Allow(async (f, _) =>
            Post($"{Api(f)}/situations/{await f.Steps.ExaminedAsync()}/closure", new { outcome = "sans-objet", expectedVersion = 3 }), Ok, Leads),
        // The information of the persons concerned (charte, article 21): the leads of the holding group.
        ["POST /api/councils/{council}/situations/{situationId}/notices/informed"] = Allow(async (f, _) =>
        {
            var situation = await f.Steps.ReferredAsync();
            return Post($"{Api(f)}/situations/{situation}/notices/informed", new
            {
                personId = await CaseExchange.Tests.Situations.NoticeSteps.FirstPersonAsync(f.Service, f.Council, situation),
                informedOn = DateOnly.FromDateTime(DateTime.UtcNow), means = "courrier", expectedVersion = 1,
            });
        }, Ok, Leads),
        ["POST /api/councils/{council}/situations/{situationId}/notices/deferred"] = Allow(async (f, _) =>
        {
            var situation = await f.Steps.ReferredAsync();
            return Post($"{Api(f)}/situations/{situation}/notices/deferred", new
            {
                personId = await CaseExchange.Tests.Situations.NoticeSteps.FirstPersonAsync(f.Service, f.Council, situation),
                reason = "enquete-en-cours", reviewOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), expectedVersion = 1,
            });
        }, Ok, Leads),
        ["GET /api/councils/{council}/situations/{situationId}/information-letter/{format}"] = Allow(async (f, _) =>
            Get($"{Api(f)}/situations/{await f.Steps.ReferredAsync()}/information-letter/docx"), Ok, Leads),
        // The full file: members of the holding group under the charter, nobody else (not the coordonnateur, not the auditeur).
        ["POST /api/councils/{council}/situations/{situationId}/file-openings"] = Allow(async (f, _) =>
            Post($"{Api(f)}/situations/{await f.Steps.ReferredAsync()}/file-openings", new { purpose = "suivi" }),
            Ok, Caller.Animateur, Caller.MemberOfHoldingGroup),

        // Rectification (RGPD, art. 16): ordered by the coordonnateur; additions (a person, a dated fact): those who refer in the holding group.
        ["POST /api/councils/{council}/situations/{situationId}/identity-corrections"] = Allow(async (f, _) =>
        {
            var situation = await f.Steps.ReferredAsync();
            return Post($"{Api(f)}/situations/{situation}/identity-corrections", new
            {
                personId = await CaseExchange.Tests.Situations.NoticeSteps.FirstPersonAsync(f.Service, f.Council, situation), nom = "Rectifie", expectedVersion = 1,
            });
        }, Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/situations/{situationId}/persons"] = Allow(async (f, _) =>
            Post($"{Api(f)}/situations/{await f.Steps.ReferredAsync()}/persons",
                new { person = TestPerson.Distinctive("Ajout").AsRequest("membre-famille"), expectedVersion = 1 }),
            Ok, Caller.Animateur, Caller.MemberOfHoldingGroup),
        ["POST /api/councils/{council}/situations/{situationId}/facts"] = Allow(async (f, _) =>
            Post($"{Api(f)}/situations/{await f.Steps.ReferredAsync()}/facts",
                new { on = DateOnly.FromDateTime(DateTime.UtcNow), text = "Fait ajouté", expectedVersion = 1 }),
            Ok, Caller.Animateur, Caller.MemberOfHoldingGroup),

        // Retention: erasure orders and the right of access belong to the coordonnateur, under the charter.
        ["POST /api/councils/{council}/situations/{situationId}/erasure-orders"] = Allow(async (f, _) =>
            Post($"{Api(f)}/situations/{await f.Steps.ReferredAsync()}/erasure-orders", new { reason = "decision-de-justice" }), Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/access-requests"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/access-requests",
            new { nom = "Personne", prenom = "Inconnue", dateNaissance = "2001-02-03" })), Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/access-requests/document"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/access-requests/document",
            new { nom = "Personne", prenom = "Inconnue", dateNaissance = "2001-02-03" })), Ok, Caller.Coordonnateur),

        // Recorded right-of-access requests (no identity stored): the coordonnateur, as the search itself.
        ["POST /api/councils/{council}/right-of-access/requests"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/right-of-access/requests",
            new { receivedOn = DateOnly.FromDateTime(DateTime.UtcNow), channel = "courrier" })), Created, Caller.Coordonnateur),
        ["GET /api/councils/{council}/right-of-access/requests"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/right-of-access/requests")), Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/right-of-access/requests/{requestId}/extension"] = Allow(async (f, _) =>
            Post($"{Api(f)}/right-of-access/requests/{(await CaseExchange.Tests.Retention.AccessRequestSteps.RecordAsync(f.Service, f.Council)).RequestId}/extension",
                new { reason = "complexite" }), Ok, Caller.Coordonnateur),
        ["POST /api/councils/{council}/right-of-access/requests/{requestId}/answer"] = Allow(async (f, _) =>
            Post($"{Api(f)}/right-of-access/requests/{(await CaseExchange.Tests.Retention.AccessRequestSteps.RecordAsync(f.Service, f.Council)).RequestId}/answer",
                new { nom = "Personne", prenom = "Inconnue", dateNaissance = "2001-02-03" }), Ok, Caller.Coordonnateur),
        // The access journal: the auditeur only (read-journal), never nominative content.
        ["GET /api/councils/{council}/journal/entries"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/journal/entries")), Ok, Caller.Auditeur),
        ["GET /api/councils/{council}/journal/export"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/journal/export")), Ok, Caller.Auditeur),
        ["GET /api/councils/{council}/journal/alerts"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/journal/alerts")), Ok, Caller.Auditeur),
        ["POST /api/councils/{council}/journal/verifications"] = Allow((f, _) =>
            Task.FromResult(Post($"{Api(f)}/journal/verifications", new { })), Ok, Caller.Auditeur),
        ["POST /api/councils/{council}/journal/checkpoints"] = Allow((f, _) =>
            Task.FromResult(Post($"{Api(f)}/journal/checkpoints", new { })), Ok, Caller.Auditeur),
        ["GET /api/councils/{council}/journal/checkpoints"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/journal/checkpoints")), Ok, Caller.Auditeur),
        ["GET /api/councils/{council}/journal/anchors"] = Allow((f, _) => Task.FromResult(Get($"{Api(f)}/journal/anchors")), Ok, Caller.Auditeur),
        ["POST /api/councils/{council}/journal/anchors/comparisons"] = Allow((f, _) => Task.FromResult(Post($"{Api(f)}/journal/anchors/comparisons",
            new { anchors = $"1;;;{new string('0', 64)}" })), Ok, Caller.Auditeur),
        // The annual control report (charte, article 19): the auditeur only (AccessRules.ReadControlReport); a past year, whole.
        ["GET /api/councils/{council}/journal/control-reports/{year}"] = Allow((f, _) =>
            Task.FromResult(Get($"{Api(f)}/journal/control-reports/{DateTime.UtcNow.Year - 1}")), Ok, Caller.Auditeur),
        // The trail of administrative acts: the auditeur only (AccessRules.ReadAdministrativeActs).
        ["GET /api/councils/{council}/journal/administrative-acts"] = Allow((f, _) =>
            Task.FromResult(Get($"{Api(f)}/journal/administrative-acts")), Ok, Caller.Auditeur),
        ["GET /api/councils/{council}/journal/administrative-acts/export"] = Allow((f, _) =>
            Task.FromResult(Get($"{Api(f)}/journal/administrative-acts/export")), Ok, Caller.Auditeur),
    };

    /// <summary>A séance of group A held today, taken as far as asked by the coordonnateur.</summary>
    /// <summary>A séance a week ahead with its place (version 2), convened in urgency on demand.</summary>
    private static async Task<Guid> PlacedSeanceAsync(MatrixFixture f, bool convened = false)
    {
        var seance = await f.Steps.NewSeanceAsync();
        await Answers.ExpectAsync(await f.Service.SendAsync(f.Council.Coordonnateur, HttpMethod.Put, $"{Api(f)}/seances/{seance}/place",
            new { place = "Mairie, salle du conseil", expectedVersion = 1 }), 200);
        if (convened)
            await f.Service.PostJsonAsync<JsonElement>(f.Council.Coordonnateur, $"{Api(f)}/seances/{seance}/convocations", new { urgent = true, expectedVersion = 2 }, 201);
        return seance;
    }

    private static async Task<Guid> SeanceTodayAsync(MatrixFixture f, bool attended = false, bool closed = false, bool reported = false)
    {
        var api = Api(f);
        var coordonnateur = f.Council.Coordonnateur;
        var seance = (await f.Service.PostJsonAsync<JsonElement>(coordonnateur, $"{api}/groups/{f.Council.GroupA}/seances",
            new { date = DateTimeOffset.UtcNow }, 201)).GetProperty("seanceId").GetGuid();
        if (attended)
            await Answers.ExpectAsync(await f.Service.SendAsync(coordonnateur, HttpMethod.Put, $"{api}/seances/{seance}/attendance",
                new { nominativePart = new[] { f.Council.Id(f.Council.Animateur) }, expectedVersion = 1 }), 200);
        if (closed)
            await f.Service.PostJsonAsync<JsonElement>(coordonnateur, $"{api}/seances/{seance}/closure", new { expectedVersion = 2 });
        if (reported)
            await f.Service.PostJsonAsync<JsonElement>(coordonnateur, $"{api}/seances/{seance}/compte-rendu", new { expectedVersion = 3 }, 201);
        return seance;
    }

    public static TheoryData<string> Rows() => [.. Matrix.Keys];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_caller_gets_the_expected_answer(string endpoint)
    {
        var row = Matrix[endpoint];
        var failures = new List<string>();
        foreach (var caller in Enum.GetValues<Caller>())
        {
            var (method, url, body) = await row.Arrange(fixture, caller);
            var response = await fixture.Service.SendAsync(fixture.SubjectOf(caller), method, url, body);
            var expected = row.Expected[caller];
            if ((int)response.StatusCode != expected)
                failures.Add($"{caller}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.True(failures.Count == 0, $"{endpoint}\n{string.Join("\n", failures)}");
    }

    /// <summary>The pages are checked by <see cref="PageAuthorizationTests"/>, with the same principle.</summary>
    [Fact]
    public void Every_endpoint_of_the_service_is_in_the_matrix()
    {
        var endpoints = fixture.Service.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {("/" + e.RoutePattern.RawText!.TrimStart('/')).TrimEnd('/')}"))
            .Distinct()
            .Order()
            .ToList();
        var missing = endpoints.Except(Matrix.Keys).ToList();
        var stale = Matrix.Keys.Except(endpoints).ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in the authorisation matrix:\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Matrix rows for endpoints that no longer exist:\n" + string.Join("\n", stale));
    }
}
