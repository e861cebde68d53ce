import FlowCore
import Foundation
import Synchronization

/// An observer that only counts the events it receives.
final class CountingObserver: ExecutionObserver {
    let count = Atomic<Int>(0)

    func receive(_ event: ExecutionEvent) {
        count.add(1, ordering: .relaxed)
    }
}

/// Process CPU time, to tell machine noise (wall ≫ CPU) from engine cost.
func processCPUTime() -> Duration {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

struct Sample {
    var wall: Duration
    var cpu: Duration
}

/// Median wall and CPU time (each its own median) of `iterations` runs after one warm-up run.
func measure(iterations: Int, _ body: () async -> Void) async -> Sample {
    await body()
    let clock = ContinuousClock()
    var walls: [Duration] = []
    var cpus: [Duration] = []
    walls.reserveCapacity(iterations)
    cpus.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let cpuStart = processCPUTime()
        let start = clock.now
        await body()
        let end = clock.now
        let cpuEnd = processCPUTime()
        walls.append(end - start)
        cpus.append(cpuEnd - cpuStart)
    }
    return Sample(wall: median(walls), cpu: median(cpus))
}

func median(_ values: [Duration]) -> Duration {
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func failRun(_ message: String) -> Never {
    print("FAILED: \(message)")
    exit(1)
}
