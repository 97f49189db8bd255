/**
 * Node's process metrics for `/metrics`, named as prom-client and the Prometheus client
 * libraries name them, so the usual dashboards work. Only the entry may read `process`;
 * it registers this with addCollector (src/metrics/registry.ts). Workers have no process.
 */
import type { Family } from '../metrics/registry.ts';

const startTimeSeconds = Math.round((Date.now() / 1000 - process.uptime()) * 1000) / 1000;

export function processFamilies(): Family[] {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const gauge = (name: string, help: string, value: number): Family => ({ name, help, type: 'gauge', samples: [{ value }] });
  return [
    gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', memory.rss),
    gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch in seconds.', startTimeSeconds),
    {
      name: 'process_cpu_seconds_total',
      help: 'Total user and system CPU time spent in seconds.',
      type: 'counter',
      samples: [{ value: (cpu.user + cpu.system) / 1e6 }],
    },
    gauge('nodejs_heap_size_used_bytes', 'V8 heap in use in bytes.', memory.heapUsed),
    gauge('nodejs_heap_size_total_bytes', 'V8 heap size in bytes.', memory.heapTotal),
  ];
}
