namespace CaseExchange.Tests.Infrastructure;

public static class EventCounts
{
    /// <summary>
    /// Events other than access-journal entries: what "changes nothing" means for a refused request, whose server-side
    /// identity check is itself journalled (a <c>controle-serveur</c> entry) before the refusal.
    /// </summary>
    /// <remarks>Counted like <see cref="TestService.EventCountAsync"/>: the view's councils on the suite's shared service.</remarks>
    public static Task<long> NonJournalEventCountAsync(this TestService service) => service.CountEventsAsync("type not like '%journal%'");
}
