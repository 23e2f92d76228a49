using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Protection;
using CaseExchange.Seances.Agenda;
using CaseExchange.Seances.Attendance;
using CaseExchange.Seances.Cancellation;
using CaseExchange.Seances.Convocation;
using CaseExchange.Seances.Emargement;
using CaseExchange.Seances.GeneralPart;
using CaseExchange.Http;
using CaseExchange.Seances.Rescheduling;
using CaseExchange.Journal;
using CaseExchange.Seances.Closure;
using CaseExchange.Seances.Viewing;
using CaseExchange.Situations.Viewing;
using Marten;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Seances;

/// <summary>A guest of the general part: a partner of the council's directory (an organisation and a role, never a private name).</summary>
public sealed class GuestForm
{
    public Guid? PartnerId { get; set; }

    public bool IsEmpty => PartnerId is null;
}

public sealed class AttendanceForm
{
    public const string Nominative = "nominative";
    public const string General = "generale";
    public const string Absent = "absent";

    /// <summary>Each listed member's presence: at the nominative part, at the general part only, or absent.</summary>
    public Dictionary<Guid, string> Presence { get; set; } = [];
    public List<GuestForm> Guests { get; set; } = [];
    public long? ExpectedVersion { get; set; }
}

/// <summary>The séance's place, or its new date (with the reason from the closed list); kept as typed when refused.</summary>
public sealed class PlanningForm
{
    public DateOnly? Date { get; set; }
    public TimeOnly? Time { get; set; }
    public string? Place { get; set; }
    public string? Reason { get; set; }
    public long? ExpectedVersion { get; set; }
}

public sealed class ConveneForm
{
    public bool Urgent { get; set; }
    public long? ExpectedVersion { get; set; }
}

public sealed class InvitationForm
{
    public List<Guid> PartnerIds { get; set; } = [];
    public long? ExpectedVersion { get; set; }
}

/// <summary>IN CLEAR until checked by the identity guard: a point of the general part.</summary>
public sealed class GeneralItemForm
{
    public string? Kind { get; set; }
    public string? Text { get; set; }
    public long? ExpectedVersion { get; set; }

    public override string ToString() => "[point de la partie générale]";
}

public sealed class CancelForm
{
    public string? Reason { get; set; }
    public long? ExpectedVersion { get; set; }
}

/// <summary>Someone the coordonnateur may record as present: the group's members, and themselves.</summary>
public sealed record AttendanceCandidate(Guid MemberId, string DisplayName, string Organisation, string Function, string? GroupRole, bool CharterSigned);

/// <summary>
/// One séance, as those who prepare it work on it: the ODJ (anonymised), the group's situations that can be placed on it,
/// the ODJ's publication, attendance, the examination of each situation (own page) and the closure. Every action is a
/// use case of the API, called with the page's session.
/// </summary>
public sealed class SeanceModel : CouncilPageModel
{
    /// <summary>The partner directory, to choose guests from.</summary>
    public IReadOnlyList<PartnerView> Partners => PartnerDirectory.View(Actor.Council, Policy).Partners;

    public const int GuestBlocks = 2;

    [BindProperty] public AttendanceForm Attendance { get; set; } = new();
    [BindProperty] public PlanningForm Planning { get; set; } = new();
    [BindProperty] public PlanningForm Move { get; set; } = new();
    [BindProperty] public CancelForm Cancel { get; set; } = new();
    [BindProperty] public ConveneForm Convene { get; set; } = new();
    [BindProperty] public InvitationForm Invitations { get; set; } = new();
    [BindProperty] public GeneralItemForm General { get; set; } = new();

    public SeanceView Seance { get; private set; } = null!;
    public IReadOnlyList<AttendanceCandidate> Candidates { get; private set; } = [];

    /// <summary>The group's open situations that are not waiting on any ODJ and were never on this one.</summary>
    public IReadOnlyList<AnonymisedSituation> Placeable { get; private set; } = [];

    public bool Open => !Seance.Closed && !Seance.Cancelled;
    public bool Held => Display.Day(Seance.Date) <= Today;

    /// <summary>Attendance is recorded on the séance's day or after, while it is open (the use case's rule, offered only then).</summary>
    public bool CanRecordAttendance => Open && Held;

    /// <summary>Closure: held, open, attendance recorded (règlement intérieur, article 8).</summary>
    public bool CanClose => Open && Held && Seance.Attendance is not null;

    /// <summary>Moving or cancelling: a séance that has not been held (no attendance recorded).</summary>
    public bool CanReplan => Open && Seance.Attendance is null;

    /// <summary>A convocation is established for a séance still to come, with a place (règlement intérieur, article 6).</summary>
    public bool CanConvene => Open && Display.Day(Seance.Date) >= Today && Seance.Place is not null;

    /// <summary>Fewer than eight days before the séance: only an urgent convocation is possible.</summary>
    public string? ConvocationLate { get; private set; }

    public string ConvocationHref(int number, string format) =>
        Href($"seances/{Seance.SeanceId}?handler=Convocation&number={number}&format={format}");
    public string Heading => $"Séance du {Display.DateTime(Seance.Date)}";

    public async Task OnGetAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        PrefillAttendance();
        PrefillPlanning();
    }

    public async Task<IActionResult> OnPostLieuAsync(Guid seanceId, [FromServices] IdentityIndex index, [FromServices] AccessJournal journal)
    {
        await LoadAsync(seanceId);
        return await SubmitAsync(
            () => ChangeSeancePlaceUseCase.HandleAsync(CouncilRequest, seanceId, new ChangeSeancePlace(Planning.Place, Planning.ExpectedVersion), index, journal),
            changed => Done(seanceId, $"La séance aura lieu : {changed.Place}.", null),
            () => ReloadKeepingPlanningAsync(seanceId), prefix: "Planning");
    }

    public async Task<IActionResult> OnPostReporterAsync(Guid seanceId, [FromServices] IdentityIndex index, [FromServices] AccessJournal journal)
    {
        await LoadAsync(seanceId);
        if (Move.Date is not null && Move.Time is null) ModelState.AddModelError("Move.Time", "Indiquez l'heure de la séance.");
        DateTimeOffset? date = Move.Date is { } day ? Display.At(day, Move.Time ?? TimeOnly.MinValue) : null;
        return await SubmitAsync(
            () => RescheduleSeanceUseCase.HandleAsync(CouncilRequest, seanceId, new RescheduleSeance(date, Move.Place, Move.Reason, Move.ExpectedVersion), index, journal),
            moved => Done(seanceId, $"La séance est reportée au {Display.DateTime(moved.Date)}.", null),
            () => ReloadKeepingPlanningAsync(seanceId), prefix: "Move");
    }

    public async Task<IActionResult> OnPostConvoquerAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        // The eight days' rule comes back to the form (the API answers 409 with the same sentence).
        if (Seance.Place is not null && !Convene.Urgent && ConvocationLate is { } late) ModelState.AddModelError("Convene.Urgent", late);
        return await SubmitAsync(
            () => ConveneSeanceUseCase.HandleAsync(CouncilRequest, seanceId, new ConveneSeance(Convene.Urgent, Convene.ExpectedVersion)),
            convened => Done(seanceId, $"La convocation n° {convened.Number} est établie : téléchargez-la pour l'adresser aux membres du groupe.", "convocation"),
            () => ReloadKeepingPlanningAsync(seanceId), prefix: "Convene");
    }

    /// <summary>A convocation as a file (DOCX or HTML to print), served by the same use case as the API.</summary>
    public async Task<IActionResult> OnGetConvocationAsync(Guid seanceId, int number, string? format)
    {
        await LoadAsync(seanceId);
        return new EndpointResult(await DownloadConvocationUseCase.HandleAsync(CouncilRequest, seanceId, number, format ?? ""));
    }

    public async Task<IActionResult> OnPostPointAsync(Guid seanceId, [FromServices] IdentityIndex index)
    {
        await LoadAsync(seanceId);
        var identityRefused = false;
        return await SubmitAsync(
            async () =>
            {
                try
                {
                    return await AddGeneralItemUseCase.HandleAsync(CouncilRequest, seanceId, new AddGeneralItem(General.Kind, General.Text, General.ExpectedVersion), index);
                }
                catch (ProblemException e) when (e.Problem.Type == IdentifyingText.Problem)
                {
                    identityRefused = true;
                    throw;
                }
            },
            _ => Done(seanceId, "Le point est inscrit à la partie générale de l'ordre du jour.", "odj"),
            async () =>
            {
                // The refusal was recorded on the séance (never the text): one event later; the text stays in the form to correct.
                if (identityRefused && General.ExpectedVersion is { } seen)
                {
                    ModelState.Remove("General.ExpectedVersion");
                    General.ExpectedVersion = seen + 1;
                }
                await ReloadKeepingPlanningAsync(seanceId);
            }, prefix: "General");
    }

    public async Task<IActionResult> OnPostInviterAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        return await SubmitAsync(
            () => InvitePartnersUseCase.HandleAsync(CouncilRequest, seanceId, new InvitePartners(Invitations.PartnerIds, Invitations.ExpectedVersion)),
            invited => Done(seanceId, $"{invited.Invited} partenaire{(invited.Invited > 1 ? "s" : "")} invité{(invited.Invited > 1 ? "s" : "")} à la partie générale.", "emargement"),
            () => ReloadKeepingPlanningAsync(seanceId), prefix: "Invitations");
    }

    /// <summary>The feuille d'émargement (DOCX or HTML to print), served by the same use case as the API.</summary>
    public async Task<IActionResult> OnGetEmargementAsync(Guid seanceId, string? format)
    {
        await LoadAsync(seanceId);
        return new EndpointResult(await EmargementUseCase.HandleAsync(CouncilRequest, seanceId, format ?? ""));
    }

    public string EmargementHref(string format) => Href($"seances/{Seance.SeanceId}?handler=Emargement&format={format}");

    public async Task<IActionResult> OnPostAnnulerAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        return await SubmitAsync(
            () => CancelSeanceUseCase.HandleAsync(CouncilRequest, seanceId, new CancelSeance(Cancel.Reason, Cancel.ExpectedVersion)),
            cancelled => Done(seanceId, "La séance est annulée." + (cancelled.Freed.Count == 0 ? ""
                : $" Situations libérées, à inscrire à une autre séance : {string.Join(", ", cancelled.Freed)}."), null),
            () => ReloadKeepingPlanningAsync(seanceId), prefix: "Cancel");
    }

    public Task<IActionResult> OnPostInscrireAsync(Guid seanceId, Guid situationId, long? expectedVersion) => SubmitAsync(
        async () =>
        {
            await LoadAsync(seanceId);
            return await PlaceOnAgendaUseCase.HandleAsync(CouncilRequest, situationId, new PlaceOnAgenda(seanceId, expectedVersion));
        },
        placed => Done(seanceId, $"La situation {placed.Pseudonym} est inscrite à l'ordre du jour.", "odj"),
        () => ReloadAsync(seanceId), prefix: "");

    public Task<IActionResult> OnPostPublierAsync(Guid seanceId, long? expectedVersion) => SubmitAsync(
        async () =>
        {
            await LoadAsync(seanceId);
            return await PublishAgendaUseCase.HandleAsync(CouncilRequest, seanceId, new PublishAgenda(expectedVersion));
        },
        published => Done(seanceId,
            $"L'ordre du jour est publié ({published.SituationIds.Count} situation{(published.SituationIds.Count > 1 ? "s" : "")}) : il est celui de la convocation.", "odj"),
        () => ReloadAsync(seanceId), prefix: "");

    public async Task<IActionResult> OnPostPresenceAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        var nominative = Attendance.Presence.Where(p => p.Value == AttendanceForm.Nominative).Select(p => p.Key).ToList();
        var general = Attendance.Presence.Where(p => p.Value == AttendanceForm.General).Select(p => p.Key).ToList();
        var guests = Attendance.Guests.Select((guest, block) => (guest, block)).Where(g => !g.guest.IsEmpty).ToList();
        var command = new RecordAttendance(nominative, general, [.. guests.Select(g => new GuestInput(g.guest.PartnerId))],
            Attendance.ExpectedVersion);
        return await SubmitAsync(
            () => RecordAttendanceUseCase.HandleAsync(CouncilRequest, seanceId, command),
            recorded => Done(seanceId,
                $"Présence enregistrée : {recorded.NominativePart} à la partie nominative, {recorded.GeneralPartOnly} à la partie générale seulement, " +
                $"{recorded.Guests} invité{(recorded.Guests > 1 ? "s" : "")}.", "presence"),
            () =>
            {
                PrefillPlanning();
                return Task.CompletedTask;
            }, prefix: "Attendance",
            mapField: field => MapAttendanceField(field, nominative, general, [.. guests.Select(g => g.block)]));
    }

    public Task<IActionResult> OnPostClotureAsync(Guid seanceId, long? expectedVersion) => SubmitAsync(
        async () =>
        {
            await LoadAsync(seanceId);
            return await CloseSeanceUseCase.HandleAsync(CouncilRequest, seanceId, new CloseSeance(expectedVersion));
        },
        closed => Done(seanceId, "La séance est close." + (closed.Postponed.Count == 0
            ? " Vous pouvez établir son compte rendu."
            : $" Situations non examinées, reportées : {string.Join(", ", closed.Postponed)}. Vous pouvez établir son compte rendu."), null),
        () => ReloadAsync(seanceId), prefix: "");

    public string PresenceOf(Guid memberId) => Attendance.Presence.GetValueOrDefault(memberId) ?? AttendanceForm.Absent;

    private IActionResult Done(Guid seanceId, string notice, string? section)
    {
        Tell(notice);
        return Redirect(Href($"seances/{seanceId}") + (section is null ? "" : $"#{section}"));
    }

    private async Task ReloadAsync(Guid seanceId)
    {
        await LoadAsync(seanceId);
        PrefillAttendance();
        PrefillPlanning();
    }

    /// <summary>After a refused planning form: the attendance form as recorded, the planning forms as typed.</summary>
    private Task ReloadKeepingPlanningAsync(Guid seanceId)
    {
        PrefillAttendance();
        PrefillPlanning();
        return Task.CompletedTask;
    }

    /// <summary>What the planning forms show: what was typed if anything (a refused form), the séance's state otherwise.</summary>
    private void PrefillPlanning()
    {
        Planning.Place ??= Seance.Place;
        Planning.ExpectedVersion ??= Seance.Version;
        Move.ExpectedVersion ??= Seance.Version;
        Move.Time ??= TimeOnly.FromDateTime(FrenchTime.Local(Seance.Date).DateTime);
        Cancel.ExpectedVersion ??= Seance.Version;
        Convene.ExpectedVersion ??= Seance.Version;
        Invitations.ExpectedVersion ??= Seance.Version;
        General.ExpectedVersion ??= Seance.Version;
        if (Request.Query["handler"] != "Inviter") Invitations.PartnerIds = [.. InvitedPartnerIds];
    }

    /// <summary>The partners invited to the general part, as the séance records them.</summary>
    public IReadOnlyList<Guid> InvitedPartnerIds { get; private set; } = [];

    private void PrefillAttendance()
    {
        Attendance.ExpectedVersion = Seance.Version;
        if (Seance.Attendance is { } recorded)
        {
            foreach (var a in recorded.NominativePart) Attendance.Presence[a.MemberId] = AttendanceForm.Nominative;
            foreach (var a in recorded.GeneralPartOnly) Attendance.Presence[a.MemberId] = AttendanceForm.General;
            // Guests were copied from the directory: find their partner again (one no longer listed is left out).
            var partners = Partners;
            Attendance.Guests = [.. recorded.Guests
                .Select(g => partners.FirstOrDefault(p => p.Organisation == g.Organisation && p.RoleLabel == g.Function))
                .Where(p => p is not null).Select(p => new GuestForm { PartnerId = p!.PartnerId })];
        }
        while (Attendance.Guests.Count < (Seance.Attendance?.Guests.Count ?? 0) + GuestBlocks) Attendance.Guests.Add(new GuestForm());
    }

    /// <summary>The use case numbers the members of each part and the guests it was sent; errors go back to the row they came from.</summary>
    private static string MapAttendanceField(string field, IReadOnlyList<Guid> nominative, IReadOnlyList<Guid> general, IReadOnlyList<int> guestBlocks)
    {
        static (string Name, int Index, string Tail)? Indexed(string field)
        {
            var open = field.IndexOf('[');
            var close = field.IndexOf(']');
            return open > 0 && close > open && int.TryParse(field.AsSpan(open + 1, close - open - 1), out var index)
                ? (field[..open], index, field[(close + 1)..])
                : null;
        }
        return Indexed(field) switch
        {
            ("nominativePart", var i, _) when i < nominative.Count => $"presence[{nominative[i]}]",
            ("generalPartOnly", var i, _) when i < general.Count => $"presence[{general[i]}]",
            ("guests", var i, var rest) when i < guestBlocks.Count => $"guests[{guestBlocks[i]}]{rest}",
            _ => field is "nominativePart" or "generalPartOnly" ? "presence" : field,
        };
    }

    private async Task LoadAsync(Guid seanceId)
    {
        Seance = await ViewSeanceUseCase.HandleAsync(CouncilRequest, seanceId);
        ConvocationLate = ConveneSeanceUseCase.TooLate(Seance.Date, CouncilRequest.Now, urgent: false);
        InvitedPartnerIds = Seance.InvitedPartnerIds ?? [];
        var group = await Session.LoadAsync<Group>(Seance.GroupId);
        // The same rule as the séance's use cases: the page is not shown to anyone who could not act on it.
        Actor.Require(AccessRules.ActInGroup(Policy, Actor.Member, Actor.Council, group, Capabilities.PrepareSeances));

        var recorded = Seance.Attendance is { } a ? a.NominativePart.Concat(a.GeneralPartOnly).Select(x => x.MemberId) : [];
        var ids = group!.Members.Keys.Append(Actor.Id).Concat(recorded).Distinct().ToList();
        var members = await Session.LoadManyAsync<Member>(ids);
        var version = Actor.Council.CharterVersionInForce;
        Candidates = [.. members
            .Select(m => new AttendanceCandidate(m.Id, m.DisplayName, m.Organisation, m.Function, group.RoleOf(m.Id), m.HasSigned(version)))
            .OrderBy(c => c.GroupRole is null).ThenBy(c => c.DisplayName, StringComparer.CurrentCulture)];

        var open = await ListSituationsUseCase.HandleAsync(CouncilRequest, new SituationFilter(Seance.GroupId, "ouvertes", Page: 1, PageSize: 200));
        Placeable = [.. open.Items
            .Where(s => !s.NominativeDataErased && !s.Agenda.Any(x => x.Pending || x.SeanceId == seanceId))
            .OrderBy(s => s.Pseudonym, StringComparer.Ordinal)];
    }
}
