using System.Globalization;

namespace CaseExchange.Councils;

/// <summary>
/// Dates as people in the council read them: French, in metropolitan French time. Instants are stored in UTC; a CR's
/// séance date and the statistics' months are read in Europe/Paris (a council overseas would need its own zone).
/// Shared by two wings (Seances, Statistics), so it lives with the council.
/// </summary>
public static class FrenchTime
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("fr-FR");

    public static readonly TimeZoneInfo Zone = TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Paris", out var zone) ? zone : TimeZoneInfo.Utc;

    public static DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The instant at which a local calendar day starts in France.</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public static string DateAndTime(DateTimeOffset instant) => Local(instant).ToString("dddd d MMMM yyyy 'à' HH' h 'mm", Culture);

    public static string Day(DateTimeOffset instant) => Local(instant).ToString("d MMMM yyyy", Culture);

    public static string Day(DateOnly day) => day.ToString("d MMMM yyyy", Culture);

    public static string Month(int year, int month) => new DateOnly(year, month, 1).ToString("MMMM yyyy", Culture);
}
