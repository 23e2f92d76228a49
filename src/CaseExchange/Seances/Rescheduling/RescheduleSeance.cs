using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Seances.Scheduling;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Rescheduling;

public sealed record RescheduleSeance(DateTimeOffset? Date, string? Place, string? Reason, long? ExpectedVersion);

public sealed record ChangeSeancePlace(string? Place, long? ExpectedVersion);

public sealed record SeancePlanningResponse(Guid SeanceId, DateTimeOffset Date, string? Place, long Version);

public static class ReschedulingEndpoints
{
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/rescheduling", Summary = "Reporter la séance à une autre date"), Tags("Séances")]
    public static Task<SeancePlanningResponse> Reschedule(Guid seanceId, RescheduleSeance command, CouncilRequest request, IdentityIndex index,
        AccessJournal journal) => RescheduleSeanceUseCase.HandleAsync(request, seanceId, command, index, journal);

    [WolverinePut("/api/councils/{council}/seances/{seanceId}/place", Summary = "Changer le lieu de la séance"), Tags("Séances")]
    public static Task<SeancePlanningResponse> ChangePlace(Guid seanceId, ChangeSeancePlace command, CouncilRequest request, IdentityIndex index,
        AccessJournal journal) => ChangeSeancePlaceUseCase.HandleAsync(request, seanceId, command, index, journal);
}

/// <summary>A séance that has not taken place moves to another date, for a reason of the closed list (and possibly another place).</summary>
public static class RescheduleSeanceUseCase
{
    public static async Task<SeancePlanningResponse> HandleAsync(CouncilRequest request, Guid seanceId, RescheduleSeance command,
        IdentityIndex index, AccessJournal journal)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        var now = request.Now;
        Check(command, now, request.Policy.KindOf(target.Group.Kind)).ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);
        var rescheduled = Decide(target.Seance, command, request.Actor.Id, now);
        await SeancePlace.GuardAsync(request, index, journal, rescheduled.Place, "place");
        var version = target.Append(rescheduled);
        return new SeancePlanningResponse(seanceId, rescheduled.Date, rescheduled.Place ?? target.Seance.Place, version);
    }

    /// <summary>
    /// A new date not in the past and, when the instance's kind asks a minimum notice, at least that far ahead (the
    /// scheduling rule, <see cref="MinimumNotice"/>); a reason of the list, a place (optional: kept otherwise) of reasonable length.
    /// </summary>
    public static ValidationErrors Check(RescheduleSeance command, DateTimeOffset now, InstanceKind? kind = null) => SeancePlace.Check(
        SeanceForWriting.CheckExpectedVersion(command.ExpectedVersion)
            .When(command.Date is null, "date", "La nouvelle date de la séance est obligatoire.")
            .When(command.Date < now.AddDays(-1), "date", "Une séance ne peut pas être reportée dans le passé.")
            .RequireNotice(command.Date, now, kind)
            .When(!SeanceChangeReasons.Has(SeanceChangeReasons.Rescheduling, command.Reason), "reason", "Le motif du report doit être choisi dans la liste."),
        command.Place, "place", required: false);

    /// <summary>Only a séance still to be held (neither closed, nor cancelled, nor with its attendance recorded) moves, to another date.</summary>
    public static SeanceRescheduled Decide(Seance seance, RescheduleSeance command, Guid by, DateTimeOffset now)
    {
        SeanceForWriting.RequireOpen(seance, "elle ne peut plus être reportée.");
        if (seance.AttendanceRecorded) throw Problems.OutOfOrder("La présence de cette séance est enregistrée : elle a eu lieu et ne peut plus être reportée.");
        if (command.Date == seance.Date) throw Problems.OutOfOrder("La séance est déjà prévue à cette date.");
        return new SeanceRescheduled(seance.Id, seance.Date, command.Date!.Value, SeancePlace.Normalise(command.Place), command.Reason!, by, now);
    }
}

/// <summary>The séance's place, changed before it is held (a change of room needs no reason).</summary>
public static class ChangeSeancePlaceUseCase
{
    public static async Task<SeancePlanningResponse> HandleAsync(CouncilRequest request, Guid seanceId, ChangeSeancePlace command,
        IdentityIndex index, AccessJournal journal)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId);
        Check(command).ThrowIfAny();
        target.RequireVersion(command.ExpectedVersion);
        var changed = Decide(target.Seance, command, request.Actor.Id, request.Now);
        await SeancePlace.GuardAsync(request, index, journal, changed.Place, "place");
        var version = target.Append(changed);
        return new SeancePlanningResponse(seanceId, target.Seance.Date, changed.Place, version);
    }

    public static ValidationErrors Check(ChangeSeancePlace command) =>
        SeancePlace.Check(SeanceForWriting.CheckExpectedVersion(command.ExpectedVersion), command.Place, "place", required: true);

    public static SeancePlaceChanged Decide(Seance seance, ChangeSeancePlace command, Guid by, DateTimeOffset now)
    {
        SeanceForWriting.RequireOpen(seance, "son lieu ne peut plus changer.");
        var place = SeancePlace.Normalise(command.Place)!;
        if (place == seance.Place) throw Problems.OutOfOrder("La séance a déjà lieu à cet endroit.");
        return new SeancePlaceChanged(seance.Id, place, by, now);
    }
}
