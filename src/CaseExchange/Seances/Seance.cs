namespace CaseExchange.Seances;

public sealed record SeanceScheduled(Guid SeanceId, Guid GroupId, DateTimeOffset Date, Guid ScheduledBy, DateTimeOffset At);

public sealed record SeanceClosed(Guid SeanceId, Guid ClosedBy, DateTimeOffset At);

/// <summary>A meeting of one working group.</summary>
public sealed class Seance
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public Guid GroupId { get; set; }
    public DateTimeOffset Date { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    public bool IsClosed => ClosedAt is not null;

    public void Apply(SeanceScheduled e)
    {
        Id = e.SeanceId;
        GroupId = e.GroupId;
        Date = e.Date;
    }

    public void Apply(SeanceClosed e) => ClosedAt = e.At;
}
