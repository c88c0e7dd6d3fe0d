// Messages of the data panel and of data loading errors. Error keys match the
// codes in src/data/errors.ts; their parameters name the file or URL, the
// value that was wrong and what is allowed.
export const en = {
  'data.heading': 'Dataset',
  'data.intro':
    'Pick where the CIFAR images come from, how many to use, and load them into the training worker.',
  'data.dataset.label': 'Dataset',
  'data.dataset.cifar10': 'CIFAR-10 (10 classes)',
  'data.dataset.cifar100': 'CIFAR-100 (100 classes)',
  'data.labelMode.label': 'CIFAR-100 labels',
  'data.labelMode.fine': 'Fine (100 classes)',
  'data.labelMode.coarse': 'Coarse (20 superclasses)',
  'data.source.label': 'Source',
  'data.source.parquet': 'Hugging Face (parquet stream)',
  'data.source.selfHosted': 'Copy on this site ({name})',
  'data.source.files': 'Files on this computer',
  'data.source.customUrl': 'Custom parquet URLs',
  'data.urls.train': 'Training parquet URL',
  'data.urls.test': 'Test parquet URL',
  'data.urls.hint':
    'Files in the Hugging Face layout: an img column with PNG bytes and a label column. The server must allow cross-origin requests.',
  'data.files.label': 'CIFAR files',
  'data.files.hint':
    'Pick data_batch_*.bin and test_batch.bin (with batches.meta.txt), or cifar-10-binary.tar.gz / cifar-100-binary.tar.gz. Files up to {limit}.',
  'data.files.drop': 'Drop CIFAR files here',
  'data.files.choose': 'Choose files…',
  'data.files.chosen': 'Chosen: {names}',
  'data.files.none': 'No files chosen yet.',
  'data.sizes.train': 'Training images',
  'data.sizes.test': 'Test images',
  'data.sizes.range': '{min} to {max}',
  'data.seed.label': 'Sampling seed',
  'data.seed.hint': 'The same seed picks the same images from the same source.',
  'data.load': 'Load data',
  'data.cancel': 'Cancel',
  'data.progress.label': 'Loading progress',
  'data.progress.bytes': '{loaded} of {total} downloaded',
  'data.progress.bytesUnknown': '{loaded} downloaded',
  'data.progress.images': '{images} images read',
  'data.status.ready': 'Loaded: {classes} classes.',
  'data.status.cancelled': 'Loading was cancelled. The data loaded before is still in use.',
  'data.status.failedKept': 'The data loaded before ({source}) is still in use.',
  'data.summary.heading': 'Loaded subset',
  'data.summary.counts':
    '{train} training and {test} test images in {classes} classes, from {source}.',
  'data.summary.short':
    'The source had fewer images than asked for in some classes: {train} of {requestedTrain} training and {test} of {requestedTest} test images.',
  'data.summary.class': 'Class',
  'data.summary.trainCount': 'Train',
  'data.summary.testCount': 'Test',
  'data.summary.samples': 'Sample training images',
  'data.summary.sampleAlt': 'Training image of class {name}',
  'data.cache.heading': 'Saved subsets',
  'data.cache.empty':
    'No saved subsets yet. Every loaded subset is saved in this browser for reuse, also offline.',
  'data.cache.entry':
    '{dataset}: {train} train / {test} test, seed {seed}, from {source} ({size}, {date})',
  'data.cache.use': 'Use',
  'data.cache.delete': 'Delete',
  'data.cache.useLabel': 'Use saved subset from {source}',
  'data.cache.deleteLabel': 'Delete saved subset from {source}',
  'data.cache.notSaved': 'The subset loaded, but it could not be saved for reuse: {reason}',
  'data.offerFilePicker':
    'You can also download the files yourself and pick them under "Files on this computer".',
  'data.invalid.size': '{field} must be a whole number from {min} to {max}; "{value}" is not.',
  'data.invalid.seed': 'The seed must be a whole number from {min} to {max}; "{value}" is not.',
  'data.invalid.urlParam':
    'The link sets {parameter} to "{value}", which is not an http(s) URL; the default source is used.',
  'data.error.emptyFile': '{file} is empty.',
  'data.error.recordSize':
    '{file} has {size} bytes, which is not a whole number of {recordBytes}-byte records ({remainder} bytes left over). The file may be cut short or not a CIFAR batch.',
  'data.error.recordSizeOtherDataset':
    '{file} has {size} bytes, not a whole number of {recordBytes}-byte records, but it fits {otherRecordBytes}-byte records: choose {otherDataset} as the dataset.',
  'data.error.labelRange':
    'Record {record} of {file} has label {label}; labels must be 0 to {max}. This is not a CIFAR file of the chosen dataset.',
  'data.error.tooLarge':
    '{file} is {size} bytes; files up to {limit} bytes are accepted. It was not read.',
  'data.error.unknownFormat':
    '{file} is not a CIFAR binary batch (.bin), a .tar.gz or .tar archive, or a class-names .txt file.',
  'data.error.notGzip':
    '{file} is named like a gzip archive but is not one (or is damaged): it does not start with the gzip signature. Download the archive again.',
  'data.error.unsupportedFile': '{file} is not a file type this app can read.',
  'data.error.truncatedArchive':
    'The archive {file} ends too early: it is truncated. Download it again.',
  'data.error.corruptArchive':
    'The archive {file} is corrupt (its data fails the gzip or tar checks). Download it again.',
  'data.error.archiveMissingBatches':
    'The archive {file} holds no CIFAR-10 or CIFAR-100 training and test batches.',
  'data.error.noTrainFile':
    'No training batch among the chosen files ({files}). Pick data_batch_*.bin or train.bin too.',
  'data.error.noTestFile':
    'No test batch among the chosen files ({files}). Pick test_batch.bin or test.bin too (a name containing "test").',
  'data.error.notParquet': '{file} is not a parquet file.',
  'data.error.corruptParquet':
    'Reading {file} failed: its parquet data is damaged or uses an unsupported encoding.',
  'data.error.parquetColumns': '{file} lacks the expected columns {expected}; it has: {found}.',
  'data.error.invalidImage': 'Row {record} of {file} does not hold a readable 32x32 PNG image.',
  'data.error.network':
    'Could not fetch {url}: the network failed, or the server does not allow cross-origin (CORS) requests from this page.',
  'data.error.cors':
    'The server of {url} does not allow cross-origin (CORS) requests from this page, so the browser blocked its answer. Serve the files from this site (npm run data:cifar) or pick them as local files.',
  'data.error.offline':
    'This browser is offline, so {url} could not be fetched. Saved subsets and local files still work.',
  'data.error.httpClient': 'The server refused {url} with status {status}. Check the URL.',
  'data.error.rangeNotSatisfiable':
    'The server could not send the requested part of {url} (status 416). The file may have changed; try again.',
  'data.error.httpServer': 'The server failed to send {url} (status {status}). Try again later.',
  'data.error.timeout': 'No data arrived from {url} for {seconds} seconds; the request timed out.',
  'data.error.invalidUrl': '"{url}" is not an http or https URL.',
  'data.error.invalidSize': '{field} must be a whole number from {min} to {max}; got {value}.',
  'data.error.invalidSeed': 'The seed must be a whole number from {min} to {max}; got {value}.',
  'data.error.cacheQuota':
    'The browser has no storage space left for this subset ({bytes} bytes). Delete saved subsets or allow more storage.',
  'data.error.cacheUnavailable':
    'This browser offers no IndexedDB storage, so subsets cannot be saved or reused.',
  'data.error.cacheMissing': "The saved subset is no longer in this browser's storage.",
  'data.error.cacheFailed': 'The browser storage failed.',
  'data.error.unexpected': 'Loading failed unexpectedly.',
  'data.error.noFiles': 'Choose CIFAR files first, or drop them on the panel.',
  'data.error.noSelfHostedCopy':
    'This site has no copy of {dataset}. Run npm run data:cifar -- --dataset {option} on the server, or choose another source.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'data.heading': '데이터셋',
  'data.intro': 'CIFAR 이미지를 어디서 가져올지, 몇 장을 쓸지 고른 뒤 학습 워커로 불러오세요.',
  'data.dataset.label': '데이터셋',
  'data.dataset.cifar10': 'CIFAR-10 (10개 클래스)',
  'data.dataset.cifar100': 'CIFAR-100 (100개 클래스)',
  'data.labelMode.label': 'CIFAR-100 레이블',
  'data.labelMode.fine': '세부 클래스 (100개)',
  'data.labelMode.coarse': '상위 클래스 (20개)',
  'data.source.label': '가져올 곳',
  'data.source.parquet': 'Hugging Face (parquet 스트리밍)',
  'data.source.selfHosted': '이 사이트에 올려 둔 사본 ({name})',
  'data.source.files': '내 컴퓨터의 파일',
  'data.source.customUrl': '직접 입력한 parquet URL',
  'data.urls.train': '학습용 parquet URL',
  'data.urls.test': '테스트용 parquet URL',
  'data.urls.hint':
    'Hugging Face 형식의 파일이어야 합니다. PNG 바이트가 든 img 열과 label 열이 필요하고, 서버가 교차 출처(CORS) 요청을 허용해야 합니다.',
  'data.files.label': 'CIFAR 파일',
  'data.files.hint':
    'data_batch_*.bin과 test_batch.bin(그리고 batches.meta.txt)을 고르거나 cifar-10-binary.tar.gz / cifar-100-binary.tar.gz를 고르세요. 파일 하나는 {limit}까지 받습니다.',
  'data.files.drop': 'CIFAR 파일을 여기에 끌어다 놓으세요',
  'data.files.choose': '파일 고르기…',
  'data.files.chosen': '선택한 파일: {names}',
  'data.files.none': '아직 고른 파일이 없습니다.',
  'data.sizes.train': '학습 이미지 수',
  'data.sizes.test': '테스트 이미지 수',
  'data.sizes.range': '{min}부터 {max}까지',
  'data.seed.label': '샘플링 시드',
  'data.seed.hint': '같은 출처에서 같은 시드를 쓰면 같은 이미지가 뽑힙니다.',
  'data.load': '데이터 불러오기',
  'data.cancel': '취소',
  'data.progress.label': '불러오는 중',
  'data.progress.bytes': '{total} 중 {loaded} 받음',
  'data.progress.bytesUnknown': '{loaded} 받음',
  'data.progress.images': '이미지 {images}장 읽음',
  'data.status.ready': '불러옴: 클래스 {classes}개',
  'data.status.cancelled': '불러오기를 취소했습니다. 전에 불러온 데이터를 계속 씁니다.',
  'data.status.failedKept': '전에 불러온 데이터({source})를 계속 씁니다.',
  'data.summary.heading': '불러온 부분 집합',
  'data.summary.counts':
    '{source}에서 {classes}개 클래스의 학습 이미지 {train}장, 테스트 이미지 {test}장을 불러왔습니다.',
  'data.summary.short':
    '일부 클래스는 원본에 이미지가 요청보다 적었습니다: 학습 {requestedTrain}장 중 {train}장, 테스트 {requestedTest}장 중 {test}장.',
  'data.summary.class': '클래스',
  'data.summary.trainCount': '학습',
  'data.summary.testCount': '테스트',
  'data.summary.samples': '학습 이미지 예시',
  'data.summary.sampleAlt': '{name} 클래스의 학습 이미지',
  'data.cache.heading': '저장된 부분 집합',
  'data.cache.empty':
    '아직 저장된 부분 집합이 없습니다. 불러온 부분 집합은 이 브라우저에 저장되어 오프라인에서도 다시 쓸 수 있습니다.',
  'data.cache.entry':
    '{dataset}: 학습 {train}장 / 테스트 {test}장, 시드 {seed}, 출처 {source} ({size}, {date})',
  'data.cache.use': '사용',
  'data.cache.delete': '삭제',
  'data.cache.useLabel': '{source}에서 저장한 부분 집합 사용',
  'data.cache.deleteLabel': '{source}에서 저장한 부분 집합 삭제',
  'data.cache.notSaved': '부분 집합은 불러왔지만 다시 쓰도록 저장하지 못했습니다: {reason}',
  'data.offerFilePicker': '파일을 직접 내려받은 뒤 "내 컴퓨터의 파일"에서 골라도 됩니다.',
  'data.invalid.size':
    '{field} 값은 {min}부터 {max}까지의 정수여야 합니다. "{value}" 값은 쓸 수 없습니다.',
  'data.invalid.seed':
    '시드는 {min}부터 {max}까지의 정수여야 합니다. "{value}" 값은 쓸 수 없습니다.',
  'data.invalid.urlParam':
    '링크의 {parameter} 값 "{value}": http(s) URL이 아니어서 기본 출처를 씁니다.',
  'data.error.emptyFile': '{file} 파일이 비어 있습니다.',
  'data.error.recordSize':
    '{file}의 크기 {size}바이트는 {recordBytes}바이트 레코드의 정수 배가 아닙니다({remainder}바이트가 남음). 파일이 잘렸거나 CIFAR 배치 파일이 아닐 수 있습니다.',
  'data.error.recordSizeOtherDataset':
    '{file}의 크기 {size}바이트는 {recordBytes}바이트 레코드의 정수 배가 아니지만 {otherRecordBytes}바이트 레코드에는 맞습니다. {otherDataset} 데이터셋을 고르세요.',
  'data.error.labelRange':
    '{file}의 {record}번 레코드 레이블이 {label}입니다. 레이블은 0부터 {max}까지여야 합니다. 고른 데이터셋의 CIFAR 파일이 아닙니다.',
  'data.error.tooLarge':
    '{file}의 크기는 {size}바이트입니다. {limit}바이트까지만 받으므로 읽지 않았습니다.',
  'data.error.unknownFormat':
    '파일 {file}: CIFAR 바이너리 배치(.bin), .tar.gz 또는 .tar 압축 파일, 클래스 이름 .txt 파일이 아닙니다.',
  'data.error.notGzip':
    '파일 {file}: 이름은 gzip 압축 파일이지만 실제로는 gzip 파일이 아니거나 손상되었습니다(gzip 서명으로 시작하지 않음). 압축 파일을 다시 내려받으세요.',
  'data.error.unsupportedFile': '파일 {file}: 이 앱이 읽을 수 없는 종류의 파일입니다.',
  'data.error.truncatedArchive':
    '압축 파일 {file}의 내용이 중간에 끝납니다. 잘린 파일이니 다시 내려받으세요.',
  'data.error.corruptArchive':
    '압축 파일 {file}의 내용이 손상되었습니다(gzip 또는 tar 검사 실패). 다시 내려받으세요.',
  'data.error.archiveMissingBatches':
    '압축 파일 {file}에 CIFAR-10이나 CIFAR-100의 학습·테스트 배치가 없습니다.',
  'data.error.noTrainFile':
    '고른 파일({files}) 중에 학습 배치가 없습니다. data_batch_*.bin이나 train.bin도 고르세요.',
  'data.error.noTestFile':
    '고른 파일({files}) 중에 테스트 배치가 없습니다. test_batch.bin이나 test.bin처럼 이름에 "test"가 든 파일도 고르세요.',
  'data.error.notParquet': '파일 {file}: parquet 파일이 아닙니다.',
  'data.error.corruptParquet':
    '파일 {file}의 내용을 읽지 못했습니다. parquet 데이터가 손상되었거나 지원하지 않는 인코딩입니다.',
  'data.error.parquetColumns': '{file}에 필요한 열이 없습니다: {expected}. 있는 열: {found}.',
  'data.error.invalidImage': '{file}의 {record}번 행에 읽을 수 있는 32x32 PNG 이미지가 없습니다.',
  'data.error.network':
    '{url}에서 파일을 가져오지 못했습니다. 네트워크가 끊겼거나 서버가 이 페이지의 교차 출처(CORS) 요청을 허용하지 않습니다.',
  'data.error.cors':
    '{url}의 서버가 이 페이지의 교차 출처(CORS) 요청을 허용하지 않아 브라우저가 응답을 막았습니다. 파일을 이 사이트에 올리거나(npm run data:cifar) 내 컴퓨터의 파일로 고르세요.',
  'data.error.offline':
    '브라우저가 오프라인이라 {url}에서 파일을 가져오지 못했습니다. 저장된 부분 집합과 내 컴퓨터의 파일은 그대로 쓸 수 있습니다.',
  'data.error.httpClient':
    '서버가 {url} 요청을 거부했습니다(상태 코드 {status}). URL을 확인하세요.',
  'data.error.rangeNotSatisfiable':
    '서버가 {url}의 요청한 부분을 보내지 못했습니다(상태 코드 416). 파일이 바뀌었을 수 있으니 다시 시도하세요.',
  'data.error.httpServer':
    '서버가 {url}의 파일을 보내는 데 실패했습니다(상태 코드 {status}). 잠시 뒤 다시 시도하세요.',
  'data.error.timeout': '{url}에서 {seconds}초 동안 데이터가 오지 않아 요청 시간이 초과되었습니다.',
  'data.error.invalidUrl': '"{url}" 주소는 http 또는 https URL이 아닙니다.',
  'data.error.invalidSize': '{field} 값은 {min}부터 {max}까지의 정수여야 합니다. 받은 값: {value}.',
  'data.error.invalidSeed': '시드는 {min}부터 {max}까지의 정수여야 합니다. 받은 값: {value}.',
  'data.error.cacheQuota':
    '브라우저 저장 공간이 부족해 이 부분 집합({bytes}바이트)을 저장하지 못했습니다. 저장된 부분 집합을 지우거나 저장 공간을 더 허용하세요.',
  'data.error.cacheUnavailable':
    '이 브라우저는 IndexedDB 저장소를 제공하지 않아 부분 집합을 저장하거나 다시 쓸 수 없습니다.',
  'data.error.cacheMissing': '저장했던 부분 집합이 이 브라우저 저장소에 더 이상 없습니다.',
  'data.error.cacheFailed': '브라우저 저장소 작업이 실패했습니다.',
  'data.error.unexpected': '불러오기가 예상치 못하게 실패했습니다.',
  'data.error.noFiles': '먼저 CIFAR 파일을 고르거나 이 패널에 끌어다 놓으세요.',
  'data.error.noSelfHostedCopy':
    '이 사이트에는 {dataset} 사본이 없습니다. 서버에서 npm run data:cifar -- --dataset {option} 명령을 실행하거나 다른 출처를 고르세요.',
};
