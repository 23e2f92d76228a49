namespace CaseExchange.Notifications;

/// <summary>
/// Something members should hear of, raised from the event store (durable local queue): the handler finds the
/// recipients. It carries ids only: no name, no free text.
/// </summary>
/// <param name="Council">The council (Marten tenant).</param>
/// <param name="Kind">One of <see cref="NotificationKinds"/>.</param>
/// <param name="SubjectId">The situation (or, for a published ODJ, the séance).</param>
/// <param name="GroupId">For a new referral: the group that received it.</param>
/// <param name="MemberId">For an action assigned or overdue: the référent.</param>
/// <param name="Except">A member not to notify (who referred the situation or published the ODJ).</param>
/// <param name="At">When the event happened.</param>
/// <param name="Number">For a convocation: its number in the séance's stream (the handler reads its frozen content there).</param>
public sealed record NotificationDue(
    string Council, string Kind, Guid SubjectId, Guid? GroupId, Guid? MemberId, Guid? Except, DateTimeOffset At, int? Number = null);

/// <summary>One e-mail to one member, composed (pseudonym, link, fixed text): retried until the SMTP server takes it.</summary>
public sealed record NotificationMail(string Council, Guid MemberId, string Kind, Guid NoticeId, string Subject, string Body);

/// <summary>The SMTP server could not be reached or refused the message: the mail is tried again later, never dropped.</summary>
public sealed class MailNotSentException(string reason) : Exception($"Notification mail not sent: {reason}");
