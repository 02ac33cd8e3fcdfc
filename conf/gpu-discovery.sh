#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, spark.driver.resource.gpu.discoveryScript).
# Prints the JSON Spark expects, e.g. {"name": "gpu", "addresses": ["0","1"]}: the CUDA device indices this
# process can use. With CUDA_VISIBLE_DEVICES set (a container or a resource manager that isolates GPUs), the
# indices are 0..n-1 of the visible devices, which is what CUDA (and so DJL's Device.gpu(i)) numbers them as.
# Exits non-zero with one line on stderr when no GPU can be found, so the executor fails with the reason.
set -u
if [[ -n "${CUDA_VISIBLE_DEVICES+x}" && "${CUDA_VISIBLE_DEVICES}" != "all" ]]; then
  IFS=',' read -r -a visible <<< "${CUDA_VISIBLE_DEVICES// /}"
  count=0
  for v in "${visible[@]}"; do
    [[ -n "$v" && "$v" != "-1" && "$v" != "NoDevFiles" ]] && count=$((count + 1))
  done
  if (( count == 0 )); then
    echo "gpu-discovery.sh: CUDA_VISIBLE_DEVICES='${CUDA_VISIBLE_DEVICES}' hides every GPU; unset it or list the executor's GPUs" >&2
    exit 1
  fi
  indices=$(seq 0 $((count - 1)))
else
  if ! command -v nvidia-smi >/dev/null 2>&1; then
    echo "gpu-discovery.sh: nvidia-smi not found on $(hostname); install the NVIDIA driver on GPU executors or drop conf/spark-gpu.conf" >&2
    exit 1
  fi
  if ! indices=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>&1); then
    echo "gpu-discovery.sh: nvidia-smi failed on $(hostname): $(echo "$indices" | head -1)" >&2
    exit 1
  fi
fi
addresses=""
for i in $indices; do
  i="${i//[[:space:]]/}"
  [[ "$i" =~ ^[0-9]+$ ]] || continue
  addresses+="${addresses:+,}\"$i\""
done
if [[ -z "$addresses" ]]; then
  echo "gpu-discovery.sh: no GPU found on $(hostname); give this executor a GPU or drop conf/spark-gpu.conf" >&2
  exit 1
fi
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
