import Foundation
import ReliefCore
import Testing

@Suite("Task schedule")
struct TaskScheduleTests {
    let newYork = TimeZone(identifier: "America/New_York")!

    @Test(
        "reads times of day",
        arguments: [
            ("14:30", 14, 30), ("9:05", 9, 5), ("00:00", 0, 0), ("2:30 pm", 14, 30),
            ("9am", 9, 0), ("12 AM", 0, 0), ("12pm", 12, 0), ("11:59 p.m.", 23, 59),
        ])
    func times(raw: String, hour: Int, minute: Int) throws {
        let time = try TaskSchedule.time(raw)
        #expect(time.hour == hour && time.minute == minute)
    }

    @Test("refuses what is not a time", arguments: ["", "25:00", "9", "13pm", "9:5", "noon"])
    func badTimes(raw: String) {
        #expect(throws: TaskTimeError.self) { try TaskSchedule.time(raw) }
    }

    @Test("due times are wall-clock times in the organization's zone, across DST")
    func instants() {
        let day = CalendarDate(year: 2026, month: 3, day: 8)!
        let morning = TaskSchedule.instant(on: day, hour: 9, minute: 0, in: newYork)
        #expect(morning.timeIntervalSince1970 == 1_772_974_800)  // 13:00Z, after spring forward
        let gap = TaskSchedule.instant(on: day, hour: 2, minute: 30, in: newYork)
        #expect(gap.timeIntervalSince1970 == 1_772_953_200)  // 03:00 EDT, the first instant after
        let winter = TaskSchedule.instant(
            on: CalendarDate(year: 2026, month: 1, day: 15)!, hour: 9, minute: 0, in: newYork)
        #expect(winter.timeIntervalSince1970 == 1_768_485_600)  // 14:00Z
    }

    @Test("reminders fire minutes before; tasks fall into overdue, today, upcoming, completed")
    func buckets() {
        let now = Date(timeIntervalSince1970: 1_768_485_600)  // Thu Jan 15 2026, 09:00 EST
        let due = now.addingTimeInterval(3600)
        #expect(
            TaskSchedule.reminder(dueAt: due, minutesBefore: 15) == due.addingTimeInterval(-900))
        #expect(TaskSchedule.reminder(dueAt: due, minutesBefore: nil) == nil)
        func bucket(_ offset: TimeInterval, done: Bool = false) -> TaskSchedule.Bucket {
            TaskSchedule.bucket(
                dueAt: now.addingTimeInterval(offset), completedAt: done ? now : nil, now: now,
                in: newYork)
        }
        #expect(bucket(-60) == .overdue)
        #expect(bucket(60) == .today)
        #expect(bucket(14 * 3600) == .today)  // 23:00 the same evening
        #expect(bucket(15 * 3600 + 60) == .upcoming)  // just after midnight
        #expect(bucket(-60, done: true) == .completed)
    }
}
