#include "runner/slurm_backend.hpp"

#include <algorithm>
#include <ostream>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/user_error.hpp"
#include "common/version.hpp"
#include "runner/external_command.hpp"
#include "runner/job.hpp"
#include "runner/slurm_queue.hpp"

namespace expanse::runner {
namespace fs = std::filesystem;

namespace {

// Bash words: every path and name in the scripts is single-quoted.
std::string quoted(const std::string& text) {
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// What both batch scripts start with: who wrote them, what they do, the job's name and output file.
std::string script_head(const std::string& job_name, const fs::path& output, const char* purpose) {
  return "#!/bin/bash\n# Written by `expanse run --backend slurm` (expanse " + std::string(expanse_version()) + ").\n" +
         purpose + "#SBATCH --job-name=" + quoted(job_name) + "\n#SBATCH --output=" + quoted(output.string()) + "\n";
}

std::string tasks_script(const PreparedRun& run, const fs::path& expanse, const std::string& signal) {
  const fs::path results = fs::absolute(run.results);
  std::ostringstream s;
  s << script_head("expanse-" + run.experiment.name, results / "slurm" / "logs" / "%A_%a.out",
                   "# One task of the job array per job of the experiment still to do: task T of the array submitted\n"
                   "# with OFFSET (this script's argument) runs job ${jobs[OFFSET+T]} exactly as a local worker does\n"
                   "# (`expanse run-job`), which writes only its own folder under runs/, its log there (log.txt), and\n"
                   "# evaluation.csv last, atomically, as the mark of a finished job.\n")
    << "#SBATCH --open-mode=append\n"
       "#SBATCH --ntasks=1\n"
       "#SBATCH --cpus-per-task=1\n"
       "#SBATCH --requeue\n"
    << "#SBATCH --signal=" << signal << "\n"
    << "set -u\n"
    << "expanse=" << quoted(expanse.string()) << "\n"
    << "results=" << quoted(results.string()) << "\n"
    << "# The jobs by their index in the experiment (scenarios × policies × seeds, in that order).\n"
       "jobs=(";
  for (std::size_t i = 0; i < run.pending.size(); ++i) s << (i ? " " : "") << run.pending[i];
  s << ")\ndirs=(";
  for (std::size_t i = 0; i < run.pending.size(); ++i)
    s << (i ? " " : "")
      << quoted(fs::relative(job_dir(results, run.experiment, run.jobs[run.pending[i]]), results).string());
  s << ")\n"
       "task=$(( ${1:-0} + SLURM_ARRAY_TASK_ID ))\n"
       "dir=$results/${dirs[task]}\n"
       "mkdir -p \"$dir\"\n"
       "echo \"slurm task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} (restart ${SLURM_RESTART_COUNT:-0}) on "
       "$(hostname): job ${jobs[task]}, $dir\"\n"
       "\n"
       "# Before the time limit (and on preemption, where the cluster signals it) Slurm sends USR1 to this\n"
       "# script, which passes it on: a training job writes its checkpoint at the end of the current\n"
       "# iteration and exits with 75, and the task puts itself back in the queue. The requeued task\n"
       "# resumes from the checkpoint; its results are those of an uninterrupted run.\n"
       "trap 'kill -USR1 \"$child\" 2>/dev/null' USR1\n"
       "\"$expanse\" run-job \"$results\" \"${jobs[task]}\" >>\"$dir/log.txt\" 2>&1 &\n"
       "child=$!\n"
       "wait \"$child\"\n"
       "status=$?\n"
       "# A wait cut short by the signal returns above 128 while the job still runs: wait again.\n"
       "while [ \"$status\" -gt 128 ] && kill -0 \"$child\" 2>/dev/null; do\n"
       "  wait \"$child\"\n"
       "  status=$?\n"
       "done\n"
       "if [ \"$status\" -eq 75 ]; then\n"
       "  echo \"checkpoint written; requeueing\"\n"
       "  scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"\n"
       "fi\n"
       "exit \"$status\"\n";
  return s.str();
}

std::string aggregate_script(const PreparedRun& run, const fs::path& expanse) {
  const fs::path results = fs::absolute(run.results);
  std::ostringstream s;
  s << script_head("expanse-" + run.experiment.name + "-report", results / "slurm" / "logs" / "aggregate-%j.out",
                   "# Runs when every task of the job array has ended (--dependency=afterany): writes summary.csv,\n"
                   "# summary.json and the report when every run is done; otherwise lists the runs that are not and\n"
                   "# exits 1 (the same `expanse run --backend slurm` again submits only those).\n")
    << "#SBATCH --ntasks=1\n"
       "#SBATCH --cpus-per-task=1\n"
    << "exec " << quoted(expanse.string()) << " finish-run " << quoted(results.string()) << "\n";
  return s.str();
}

// sbatch's job id from --parsable's "ID" or "ID;CLUSTER"; throws UserError with sbatch's message.
std::string submit(std::vector<std::string> argv) {
  argv.insert(argv.begin(), {"sbatch", "--parsable"});
  const ExternalResult r = run_external(argv);
  const std::string id = first_line(r.out).substr(0, first_line(r.out).find(';'));
  if (r.exit_code != 0 || id.empty())
    throw UserError(Diagnostic{"sbatch", 0, 0, "", first_line(r.err.empty() ? r.out : r.err)});
  return id;
}

void write_script(const fs::path& path, const std::string& text) {
  write_file_atomically(path.string(), text);
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
}

}  // namespace

std::vector<std::string> SlurmBackend::common_args() const {
  std::vector<std::string> args;
  if (!options_.partition.empty()) args.push_back("--partition=" + options_.partition);
  if (!options_.time.empty()) args.push_back("--time=" + options_.time);
  args.insert(args.end(), options_.sbatch_args.begin(), options_.sbatch_args.end());
  return args;
}

void SlurmBackend::check(const fs::path&) const {
  for (const char* program : {"sbatch", "squeue", "sinfo"})
    if (!on_path(program))
      throw UserError(Diagnostic{"--backend slurm", 0, 0, "",
                                 std::string(program) +
                                     " is not on PATH: run on a machine of the cluster (a login node), or load "
                                     "its Slurm module"});
  if (!options_.partition.empty()) {
    const ExternalResult r = run_external({"sinfo", "--noheader", "--format=%P"});
    std::istringstream lines(r.out);
    std::string name, names;
    bool known = false;
    while (lines >> name) {
      if (!name.empty() && name.back() == '*') name.pop_back();  // the default partition
      known = known || name == options_.partition;
      names += (names.empty() ? "" : ", ") + name;
    }
    if (!known)
      throw UserError(Diagnostic{"--partition " + options_.partition, 0, 0, "",
                                 "no such partition (sinfo lists: " + (names.empty() ? "none" : names) + ")"});
  }
  // Everything else (the time limit's form, the extra arguments) as sbatch itself judges it.
  std::vector<std::string> argv{"sbatch", "--test-only", "--signal=" + options_.signal, "--requeue"};
  for (const std::string& a : common_args()) argv.push_back(a);
  argv.push_back("--wrap=true");
  const ExternalResult r = run_external(argv);
  if (r.exit_code != 0)
    throw UserError(Diagnostic{"--backend slurm", 0, 0, "",
                               "sbatch refuses these options: " + first_line(r.err.empty() ? r.out : r.err)});
}

int SlurmBackend::run(const PreparedRun& run, std::ostream& out) {
  const Experiment& e = run.experiment;
  out << e.name << ": " << run.jobs.size() << " runs, " << run.jobs.size() - run.pending.size() << " already done\n";
  if (run.pending.empty()) {
    aggregate_run(run.results, e, out);
    return 0;
  }
  const fs::path slurm = fs::absolute(run.results) / "slurm";
  fs::create_directories(slurm / "logs");
  const fs::path expanse = fs::read_symlink("/proc/self/exe");
  write_script(slurm / "tasks.sh", tasks_script(run, expanse, options_.signal));
  write_script(slurm / "aggregate.sh", aggregate_script(run, expanse));

  SlurmSubmission submission;
  submission.jobs = run.pending;
  std::string dependency = "afterany";
  for (std::size_t offset = 0; offset < run.pending.size(); offset += kTasksPerArray) {
    const std::size_t count = std::min(kTasksPerArray, run.pending.size() - offset);
    std::string array = "--array=0-" + std::to_string(count - 1);
    if (options_.array_parallelism > 0) array.append("%").append(std::to_string(options_.array_parallelism));
    std::vector<std::string> argv = common_args();
    argv.insert(argv.end(),
                {"--signal=" + options_.signal, array, (slurm / "tasks.sh").string(), std::to_string(offset)});
    submission.arrays.push_back(submit(argv));
    write_submission(run.results, submission);  // recorded at once: a failure below leaves it known
    dependency += ":" + submission.arrays.back();
  }
  std::vector<std::string> argv = common_args();
  argv.insert(argv.end(),
              {"--dependency=" + dependency, "--kill-on-invalid-dep=yes", (slurm / "aggregate.sh").string()});
  submission.aggregate = submit(argv);
  write_submission(run.results, submission);

  std::string arrays;
  for (const std::string& id : submission.arrays) arrays += (arrays.empty() ? "" : ", ") + id;
  out << "submitted " << run.pending.size() << " run(s) as Slurm job array " << arrays
      << ", and the summary and report as job " << submission.aggregate << " after it\n"
      << "follow them with `expanse status " << run.results.string() << "`; the batch scripts are in " << slurm.string()
      << "\n";
  return 0;
}

int finish_run(const fs::path& results, std::ostream& out) {
  const Experiment e = load_snapshot(results);
  const std::vector<Job> jobs = jobs_of(e);
  std::size_t unfinished = 0;
  for (const Job& job : jobs) {
    const fs::path dir = job_dir(results, e, job);
    if (job_done(dir)) continue;
    ++unfinished;
    const std::string last = last_log_line(dir);
    out << "not done: " << job_label(e, job) << (last.empty() ? ": it never started" : ": " + last) << "\n";
  }
  if (unfinished > 0) {
    out << unfinished << " of " << jobs.size()
        << " run(s) are not done; no summary was written. Fix the cause and submit again: only they run.\n";
    return 1;
  }
  aggregate_run(results, e, out);
  return 0;
}

}  // namespace expanse::runner
